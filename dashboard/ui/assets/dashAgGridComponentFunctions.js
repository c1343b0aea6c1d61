/* Cell renderers for dash-ag-grid. Backend text is passed as React children, so it is escaped. */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

dagcomponentfuncs.SourceLink = function (props) {
  var url = props.data && props.data.source_url;
  var text = props.value == null ? "" : String(props.value);
  if (!url || !/^https?:\/\//i.test(url)) { return text; }
  return React.createElement("a", {href: url, target: "_blank", rel: "noopener noreferrer"}, text || url);
};

dagcomponentfuncs.DetailsButton = function () {
  // The click itself reaches the server through the grid's cellClicked (colId "details").
  return React.createElement("button", {type: "button", className: "btn btn-link btn-sm p-0 details-button"}, "Details");
};

/* A category as a chip: a dot in its chart colour, then its name. `props.colours` is
   charts/palette.py's map (category -> [light, dark]), passed in the column's cellRendererParams;
   assets/23-categories.css picks the variant of the current theme. */
dagcomponentfuncs.CategoryChip = function (props) {
  var text = props.value == null ? "" : String(props.value);
  if (!text) { return ""; }
  var colours = props.colours || {};
  var own = Object.prototype.hasOwnProperty;
  var pair = own.call(colours, text) ? colours[text] : colours[""] || [];
  return React.createElement(
    "span",
    {className: "category-chip", style: {"--category-light": pair[0], "--category-dark": pair[1]}},
    React.createElement("span", {className: "category-chip-dot", "aria-hidden": "true"}),
    text
  );
};
