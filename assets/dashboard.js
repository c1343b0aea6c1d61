/* Client-side callbacks: URL parameters, theme, and data ages (no server round trip). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  dashboard: {
    /* ?refresh=N (seconds) sets the refresh interval; never below the floor. */
    refreshFromUrl: function (search, config) {
      var seconds = config.refresh_seconds;
      var notice = null;
      var raw = new URLSearchParams(search || "").get("refresh");
      if (raw !== null && raw !== "") {
        var asked = Number(raw);
        if (!Number.isFinite(asked) || asked <= 0) {
          notice = "Ignored refresh=" + raw.slice(0, 20) + ": it must be a number of seconds (at least " +
            config.refresh_floor + "). Refreshing every " + seconds + " s.";
        } else if (asked < config.refresh_floor) {
          seconds = config.refresh_floor;
          notice = "refresh=" + raw + " is below the floor: refreshing every " + seconds + " s.";
        } else {
          seconds = Math.round(asked);
        }
      }
      var alert = notice ? {
        namespace: "dash_html_components", type: "Div",
        props: {children: notice, className: "alert alert-warning py-2 small url-notice", role: "alert"}
      } : null;
      return [seconds * 1000, alert];
    },

    /* The switch and the remembered choice (localStorage) stay in step. */
    syncTheme: function (switchValue, _ts, stored) {
      var ctx = window.dash_clientside.callback_context;
      var trigger = ctx.triggered.length ? ctx.triggered[0].prop_id : "";
      if (trigger === "theme-switch.value") {
        return [switchValue ? "dark" : "light", switchValue];
      }
      var dark = stored === "dark";
      return [window.dash_clientside.no_update, dark];
    },

    applyTheme: function (theme) {
      var mode = theme === "dark" ? "dark" : "light";
      document.documentElement.setAttribute("data-bs-theme", mode);
      document.body.setAttribute("data-ag-theme-mode", mode);  // AG Grid's own dark mode
      return "app-root theme-" + mode;
    },

    /* Rewrites every tile's "updated N s ago" line from the pages' freshness stores. */
    updateAges: function (_n, stores) {
      var ctx = window.dash_clientside.callback_context;
      var tiles = {};
      var updated = null;
      (stores || []).forEach(function (store) {
        if (!store) { return; }
        Object.keys(store).forEach(function (key) {
          if (key === "_updated") { updated = Math.max(updated || 0, store[key]); }
          else { tiles[key] = store[key]; }
        });
      });
      var now = Date.now();
      var outputs = ctx.outputs_list[0].map(function (output) {
        var tile = tiles[output.id.tile];
        if (!tile) { return "Loading…"; }
        var age = tile.t === null ? null : formatAge(now - tile.t);
        if (tile.state === "failed") { return "No data: " + (tile.error || "not loaded"); }
        if (tile.state === "stale") {
          return "Stale · " + age + " old" + (tile.error ? " · " + tile.error : "");
        }
        return "Updated " + age + " ago";
      });
      var last = updated === null ? "" : "Updated " + formatAge(now - updated) + " ago";
      return [outputs, last];
    }
  }
});

function formatAge(ms) {
  var s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) { return s + " s"; }
  var m = Math.floor(s / 60);
  if (m < 60) { return m + " min"; }
  var h = Math.floor(m / 60);
  if (h < 48) { return h + " h " + (m % 60) + " min"; }
  return Math.floor(h / 24) + " d";
}
