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
