/* The panel menu's browser-side items (dashboard/ui/components/panel_menu.py): full screen,
   PNG, the dialog's Copy buttons, and a link's #<tile>-card that scrolls to its panel. */
(function () {
  function clicked() {
    // The item's pattern id, from "{...}.n_clicks"; null when the callback ran without a click.
    var triggered = (window.dash_clientside.callback_context || {}).triggered || [];
    if (!triggered.length || !triggered[0].value) { return null; }
    var prop = triggered[0].prop_id;
    try { return JSON.parse(prop.slice(0, prop.lastIndexOf("."))); } catch (e) { return null; }
  }
  function resized() { window.dispatchEvent(new Event("resize")); }
  var opener = null;
  function leave(card) {
    card.classList.remove("panel-fullscreen");
    document.body.classList.remove("panel-fullscreen-open");
    resized();
    if (opener) { opener.focus(); opener = null; }
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var card = document.querySelector(".panel-fullscreen");
    // An open dropdown or dialog takes its own Esc first.
    if (card && !document.querySelector(".modal.show") && !card.querySelector(".dropdown-menu.show")) { leave(card); }
  });
  function goToPanel() {
    var hash = window.location.hash.slice(1);
    if (!/^[\w-]+-card$/.test(hash)) { return; }
    var tries = 0;
    var timer = setInterval(function () {
      var card = document.getElementById(hash);
      if (card || ++tries > 100) {
        clearInterval(timer);
        if (!card) { return; }
        card.scrollIntoView({block: "center"});
        card.classList.add("panel-linked");
        setTimeout(function () { card.classList.remove("panel-linked"); }, 4000);
      }
    }, 100);
  }
  window.addEventListener("hashchange", goToPanel);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", goToPanel); } else { goToPanel(); }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    panels: {
      fullscreen: function () {
        var item = clicked();
        var card = item && document.getElementById(item.tile + "-card");
        if (!card) { return window.dash_clientside.no_update; }
        if (card.classList.contains("panel-fullscreen")) { leave(card); return window.dash_clientside.no_update; }
        opener = card.querySelector(".panel-menu-toggle");
        card.classList.add("panel-fullscreen");
        document.body.classList.add("panel-fullscreen-open");
        card.setAttribute("tabindex", "-1");
        card.focus();
        resized();
        return window.dash_clientside.no_update;
      },
      png: function () {
        var item = clicked();
        var card = item && document.getElementById(item.tile + "-card");
        var plot = card && card.querySelector(".js-plotly-plot");
        if (!plot || !window.Plotly) { return window.dash_clientside.no_update; }
        window.Plotly.downloadImage(plot, {
          format: "png", filename: item.panel, scale: 2,
          width: plot.clientWidth || 900, height: plot.clientHeight || 500
        });
        return window.dash_clientside.no_update;
      },
      copy: function (clicks, texts) {
        var item = clicked();
        var ids = window.dash_clientside.callback_context.outputs_list.map(function (o) { return o.id; });
        var said = ids.map(function () { return ""; });
        if (!item) { return window.dash_clientside.no_update; }
        var at = ids.findIndex(function (id) { return id.field === item.field; });
        var box = document.getElementById(JSON.stringify({field: item.field, type: "panel-share-field"}));
        function selected() {
          // The fallback: the text selected, for Ctrl+C (the browser refused the clipboard).
          if (box) { box.focus(); box.select(); }
          var copied = false;
          try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
          said[at] = copied ? "Copied" : "Selected: press Ctrl+C (⌘C) to copy";
          return said;
        }
        if (!navigator.clipboard || !window.isSecureContext) { return selected(); }
        return navigator.clipboard.writeText(texts[at]).then(function () {
          said[at] = "Copied"; return said;
        }, selected);
      }
    }
  });
})();
