/* The navbar's time range (dashboard/ui/components/timepicker.py): its links carry the range to
   the next page, and "t" opens the picker, Esc closes it. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  timeRange: {
    /* Each navbar link keeps the path of its page and takes this URL's range (and refresh). */
    carry: function (search, pathname) {
      var outputs = window.dash_clientside.callback_context.outputs_list[0] || [];
      var params = new URLSearchParams(search || "");
      var carried = new URLSearchParams();
      ["range", "from", "to", "tz", "compare", "refresh"].forEach(function (key) {
        if (params.has(key)) { carried.set(key, params.get(key)); }
      });
      var tail = carried.toString();
      var here = (pathname || "/").replace(/\/+$/, "") || "/";
      var hrefs = outputs.map(function (o) { return o.id.path + (tail ? "?" + tail : ""); });
      var active = outputs.map(function (o) { return ((o.id.path || "/").replace(/\/+$/, "") || "/") === here; });
      return [hrefs, active];
    }
  }
});

document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.metaKey || event.altKey) { return; }
  var target = event.target;
  var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  var button = document.getElementById("time-range-button");
  if (event.key === "t" && !typing && button && button.offsetParent !== null) {
    event.preventDefault();
    button.click();
    setTimeout(function () { var box = document.getElementById("time-range-from"); if (box) { box.focus(); } }, 50);
  } else if (event.key === "Escape" && document.getElementById("time-range-popover")) {
    if (button) { button.click(); button.focus(); }
  }
});
