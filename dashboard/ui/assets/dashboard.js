/* Client-side callbacks: URL parameters, theme, and data ages (no server round trip). */

/* The CSRF value the server set for this session (dash-renderer sends it with callbacks itself). */
function csrfToken() {
  var match = document.cookie.match(/(?:^|;\s*)_csrf_token=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : "";
}

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  dashboard: {
    /* ?refresh=N (seconds) or ?refresh=off, or the navbar's picker, sets the refresh interval;
       never below the floor. A choice in the picker is written back to the address bar (without
       a navigation), so a reload or a shared link keeps it. */
    refreshFromUrl: function (search, picked, config) {
      var ctx = window.dash_clientside.callback_context;
      var byPicker = ctx.triggered.some(function (t) { return t.prop_id === "refresh-picker.value"; });
      var raw = byPicker ? picked : new URLSearchParams(search || "").get("refresh");
      if (byPicker) {
        var url = new URL(window.location.href);
        if (picked === String(config.refresh_seconds)) { url.searchParams.delete("refresh"); }
        else { url.searchParams.set("refresh", picked); }
        window.history.replaceState(window.history.state, "", url);
      }
      var seconds = config.refresh_seconds;
      var notice = null;
      if (raw === "off") {
        // No timer: the longest interval a browser keeps (about 24 days); "Refresh" still asks.
        return [2147483647, null, picked === "off" ? window.dash_clientside.no_update : "off",
                config.refresh_options];
      }
      if (raw !== null && raw !== "") {
        var asked = Number(raw);
        if (!Number.isFinite(asked) || asked <= 0) {
          notice = "Ignored refresh=" + raw.slice(0, 20) + ": it must be a number of seconds (at least " +
            config.refresh_floor + ").";
        } else if (asked < config.refresh_floor) {
          seconds = config.refresh_floor;
          notice = "refresh=" + raw + " is below the floor of " + config.refresh_floor + " s: using " +
            config.refresh_floor + " s.";
        } else {
          seconds = Math.round(asked);
        }
      }
      var alert = notice ? {
        namespace: "dash_html_components", type: "Div",
        props: {children: notice, className: "alert alert-warning py-2 small url-notice", role: "alert"}
      } : null;
      var value = String(seconds);
      // The picker changes only when it would show another value: the System page follows it
      // (followPicker), and keeps its own faster default while the address names no interval.
      var shown = byPicker || value !== picked ? value : window.dash_clientside.no_update;
      var options = config.refresh_options.slice();
      if (!options.some(function (o) { return o.value === value; })) {
        options.splice(options.length - 1, 0, {label: "Every " + seconds + " s", value: value});
      }
      return [seconds * 1000, alert, shown, options];
    },

    /* A page on its own timer (System) takes the interval the navbar's picker names. */
    followPicker: function (value) {
      if (value === "off") { return [2147483647, "Checks paused (refresh off); Refresh asks now"]; }
      var seconds = Number(value);
      var none = window.dash_clientside.no_update;
      if (!Number.isFinite(seconds) || seconds <= 0) { return [none, none]; }
      return [seconds * 1000, "Checks every " + seconds + " s"];
    },

    /* "Refresh": one tick more of the refresh timer, and every refresh of the page runs now. */
    refreshNow: function (clicks, ticks) {
      return (ticks || 0) + 1;
    },

    /* The switch and the remembered choice (localStorage) stay in step; kiosk screens are dark. */
    syncTheme: function (switchValue, _ts, href, stored) {
      var ctx = window.dash_clientside.callback_context;
      var trigger = ctx.triggered.length ? ctx.triggered[0].prop_id : "";
      if (isKiosk(href)) {
        return [stored === "dark" ? window.dash_clientside.no_update : "dark", true];
      }
      if (trigger === "theme-switch.value") {
        return [switchValue ? "dark" : "light", switchValue];
      }
      var dark = stored === "dark";
      return [window.dash_clientside.no_update, dark];
    },

    applyChrome: function (theme, href, config) {
      var kiosk = isKiosk(href);
      var mode = theme === "dark" || kiosk ? "dark" : "light";
      document.documentElement.setAttribute("data-bs-theme", mode);
      document.body.setAttribute("data-ag-theme-mode", mode);  // AG Grid's own dark mode
      window.dashboardKiosk = kiosk;
      if (kiosk && !window.dashboardReloadTimer && config) {
        // A screen left on for days reloads now and then, shedding whatever the browser accumulated.
        window.dashboardReloadTimer = setTimeout(function () { window.location.reload(); },
                                                 config.reload_hours * 3600 * 1000);
      }
      return "app-root theme-" + mode + (kiosk ? " kiosk" : "");
    },

    /* ?screen=lobby: tell the server this screen refreshed, and how its worst tile is doing. */
    heartbeat: function (stores, href, config) {
      var screen = href ? new URL(href, window.location.origin).searchParams.get("screen") : null;
      if (!screen || !config) { return window.dash_clientside.no_update; }
      var ctx = window.dash_clientside.callback_context;
      var worst = "ok", page = "";
      (stores || []).forEach(function (store, i) {
        if (!store) { return; }
        page = ctx.inputs_list[0][i].id.page;
        Object.keys(store).forEach(function (key) {
          var state = key === "_updated" ? null : store[key].state;
          if (state === "failed" || (state === "stale" && worst === "ok")) { worst = state; }
        });
      });
      fetch(config.heartbeat, {method: "POST", headers: {"Content-Type": "application/json",
                                                          "X-CSRFToken": csrfToken()},
                               body: JSON.stringify({screen: screen, page: page, state: worst})})
        .catch(function () { /* the next refresh tries again */ });
      return window.dash_clientside.no_update;
    },

    /* A page opened with a read-only ?token= swaps it for a fresh one at half-life, in the
       address too, so a reload (the kiosk's scheduled one included) never starts expired. */
    renewToken: function (_n, config, renewal) {
      var address = new URL(window.location.href);
      var token = address.searchParams.get("token");
      var due = renewal && renewal.due ? renewal.due : 0;
      if (!token || !config || Date.now() < due) { return window.dash_clientside.no_update; }
      return fetch(config.token_renew + "?token=" + encodeURIComponent(token), {cache: "no-store"})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (!body) { return {due: Date.now() + 60000}; }  // refused: the screen keeps its token; retry
          var now = new URL(window.location.href);
          now.searchParams.set("token", body.token);
          window.history.replaceState(window.history.state, "", now.toString());
          return {due: Date.now() + body.renew_after_s * 1000, expires_at: body.expires_at};
        })
        .catch(function () { return {due: Date.now() + 60000}; });
    },

    /* Kiosk screens reload when the server reports a new build. */
    checkBuild: function (_n, config, href) {
      if (!isKiosk(href) || !config) { return window.dash_clientside.no_update; }
      fetch(config.healthz, {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (body) {
        if (body.build && body.build !== config.build_id) { window.location.reload(); }
      }).catch(function () { /* server unreachable: the tiles already say so */ });
      return window.dash_clientside.no_update;
    },

    /* Draws every tile's "updated N s ago" line when a page's freshness store changes. Between
       changes the ages tick in place (tickAges below), without a Dash callback each second. */
    updateAges: function (stores, config) {
      var ctx = window.dash_clientside.callback_context;
      var tileIds = ctx.outputs_list[0].map(function (output) { return output.id.tile; });
      window.dashboardFreshness = {stores: stores, config: config};
      if ((stores || []).some(function (store) { return store && store._updated; })) { firstDataShown(); }
      var lines = freshnessLines(stores, tileIds, config);
      setTimeout(tickAges, 0);  // a line whose text React kept (same props) is brought up to date
      return [lines.texts, lines.classes, lines.last, lines.last];
    }
  }
});

/* The freshness line of each tile (text, class) and the navbar's summary, from the pages'
   freshness stores, at this moment of the server's clock. */
function freshnessLines(stores, tileIds, config) {
  var tiles = {};
  var updated = null;
  (stores || []).forEach(function (store) {
    if (!store) { return; }
    Object.keys(store).forEach(function (key) {
      if (key === "_updated") { updated = Math.max(updated || 0, store[key]); }
      else { tiles[key] = store[key]; }
    });
  });
  // Ages are measured on the server's clock: `_updated` is the server's now when it answered,
  // so the first time a value is seen gives this browser's offset from the server (a TV's own
  // clock may be minutes off, or the server's clock moved on purpose).
  if (updated !== null && updated !== window.dashboardLastUpdated) {
    window.dashboardLastUpdated = updated;
    window.dashboardClockSkew = updated - Date.now();
  }
  var now = Date.now() + (window.dashboardClockSkew || 0);
  // Past this age a tile is stale even if the server never said so (e.g. the screen lost
  // its network): a TV must not show old numbers as current.
  var staleMs = ((config && config.stale_after_seconds) || 90) * 1000;
  var texts = [], classes = [];
  var failedServices = [], oldest = null;
  // Live (assets/live.js): the server confirmed every data set unchanged at this moment, so a
  // value shown is true as of then, however long ago it was fetched.
  var verified = window.dashboardLiveVerified || null;
  tileIds.forEach(function (tileId) {
    var tile = tiles[tileId];
    if (tile && verified && tile.t !== null && tile.t < verified) { tile = Object.assign({}, tile, {t: verified}); }
    var text, state;
    if (!tile) {
      text = "Loading…"; state = "loading";
    } else if (tile.state === "failed") {
      // The page's outage notice says why, once; the tile says "No data", the reason on hover.
      var reason = tile.error || "not loaded";
      text = {namespace: "dash_html_components", type: "Span", props: {children: "No data", title: reason}};
      state = "failed";
      var service = reason.split(":")[0];
      if (failedServices.indexOf(service) < 0) { failedServices.push(service); }
    } else {
      if (tile.t !== null && (oldest === null || tile.t < oldest)) { oldest = tile.t; }
      var age = tile.t === null ? null : formatAge(now - tile.t);
      var tooOld = tile.t !== null && now - tile.t > staleMs;
      if (tile.state === "stale" || tooOld) {
        text = "Stale · " + age + " old" + (tile.error ? " · " + tile.error : ""); state = "stale";
      } else {
        text = "Updated " + age + " ago"; state = "ok";
      }
    }
    texts.push(text);
    classes.push("tile-freshness freshness--" + state);
  });
  // The navbar speaks for the page's worst source: a failed one, else the oldest data shown.
  var last = "";
  if (failedServices.length) {
    last = {namespace: "dash_html_components", type: "Span",
            props: {children: "No data from " + failedServices.join(", "), className: "last-update--failed"}};
  } else if (oldest !== null) {
    var oldestAge = now - oldest;
    last = (oldestAge > staleMs ? "Oldest data " + formatAge(oldestAge) + " old"
                                : "Updated " + formatAge(oldestAge) + " ago");
  } else if (updated !== null) {
    last = "Updated " + formatAge(now - updated) + " ago";
  }
  return {texts: texts, classes: classes, last: last};
}

/* Once a second, the ages on screen move on: each line's text node and class are set in place.
   A Dash callback a second (an Interval driving updateAges) kept an idle page's main thread busy
   for ~39 ms of every second; this costs well under one. Only plain-text lines are touched: a
   line that is an element ("No data") changes only with its data, through updateAges. React
   keeps these text nodes and sets their value itself on its next change, so editing the value
   (not the node) is safe. */
function tickAges() {
  var latest = window.dashboardFreshness;
  if (!latest || (document.hidden && !window.dashboardKiosk)) { return; }
  // The lines updateAges draws: those with a pattern-matching id {"tile": …, "type": "freshness"}
  // (a status line such as the Analytics platform's shares the class, not the id).
  var elements = [], tileIds = [];
  document.querySelectorAll('.tile-freshness[id^="{"]').forEach(function (element) {
    var id;
    try { id = JSON.parse(element.id); } catch (e) { return; }
    if (id && id.type === "freshness" && id.tile) { elements.push(element); tileIds.push(id.tile); }
  });
  var lines = freshnessLines(latest.stores, tileIds, latest.config);
  elements.forEach(function (element, i) { setLine(element, lines.texts[i], lines.classes[i]); });
  setLine(document.getElementById("last-update"), lines.last, null);
  setLine(document.getElementById("screen-updated"), lines.last, null);
}

function setLine(element, text, className) {
  var node = element && element.firstChild;
  if (typeof text !== "string" || !node || node.nodeType !== Node.TEXT_NODE || element.childNodes.length !== 1) {
    return;  // not drawn yet, or an element inside ("No data"): updateAges' own
  }
  if (node.nodeValue !== text) { node.nodeValue = text; }
  if (className && element.className !== className) { element.className = className; }
}

setInterval(tickAges, 1000);

/* plotly.js waits for the page's first numbers. Dash's Graph loads it with
   `Promise.resolve(window.Plotly || <a script of window._dashPlotlyJSURL>)`: a thenable here makes
   the Graph ask us, and we add that script once the first data of the page has been painted (or
   after 2 s). Its download started with the page (<link rel="preload">); what waits is its
   evaluation, a few hundred ms of main thread that would otherwise land while the first refresh
   answers and hold the KPIs back. The bundle then sets window.Plotly to the library itself. */
var firstData = {shown: false, waiting: []};

function firstDataShown() {
  if (firstData.shown) { return; }
  firstData.shown = true;
  requestAnimationFrame(function () {
    setTimeout(function () { firstData.waiting.splice(0).forEach(function (go) { go(); }); }, 0);
  });
}

if (!window.Plotly) {
  var plotlyLoading = null;
  window.Plotly = {
    then: function (onLoaded, onFailed) {
      if (!plotlyLoading) {
        plotlyLoading = new Promise(function (resolve) {
          if (firstData.shown && !firstData.waiting.length) { resolve(); return; }
          firstData.waiting.push(resolve);
          setTimeout(resolve, 2000);  // a page whose data never comes still gets its charts
        }).then(function () {
          return new Promise(function (resolve, reject) {
            var script = document.createElement("script");
            script.src = window._dashPlotlyJSURL;
            script.onload = function () { resolve(window.Plotly); };
            script.onerror = reject;
            document.head.appendChild(script);
          });
        });
      }
      return plotlyLoading.then(onLoaded, onFailed);
    }
  };
}

function isKiosk(href) {
  if (!href) { return false; }
  var url = new URL(href, window.location.origin);
  var flag = url.searchParams.get("kiosk");
  return flag === "1" || flag === "true" || /\/wallboard(\/|$)/.test(url.pathname);
}

/* Outside kiosk mode a hidden tab stops polling (sparing the backends) and catches up when shown;
   a kiosk screen keeps refreshing whatever the browser thinks of its visibility. */
document.addEventListener("visibilitychange", function () {
  if (window.dashboardKiosk || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
  window.dash_clientside.set_props("refresh-interval", {disabled: document.hidden});
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

/* A callback whose request gets no answer at all (a worker killed, the network gone) never runs
   its `running=` "off" step, so the refresh timer or the button it disabled would stay disabled
   and the page would never refresh or retry again. When such a request fails, put them back. */
var RUNNING_RESTORE = [
  ["refresh-interval", function () { return {disabled: !window.dashboardKiosk && document.hidden}; }],
  ["system-interval", function () { return {disabled: false}; }],
  ["content-detail-save", function () { return {disabled: false}; }],
  ["content-adapt-run", function () { return {disabled: false}; }],
  ["content-generate-submit", function () { return {disabled: false, children: "Generate"}; }]
];

(function () {
  var original = window.fetch;
  if (!original || original.dashboardRearm) { return; }
  function rearm() {
    var set = window.dash_clientside && window.dash_clientside.set_props;
    if (!set) { return; }
    RUNNING_RESTORE.forEach(function (entry) {
      try { set(entry[0], entry[1]()); } catch (e) { /* not on this page */ }
    });
  }
  var wrapped = function (resource) {
    var promise = original.apply(this, arguments);
    var url = typeof resource === "string" ? resource : (resource && resource.url) || "";
    if (url.indexOf("_dash-update-component") !== -1) {
      promise.catch(function () { setTimeout(rearm, 0); });
    }
    return promise;
  };
  wrapped.dashboardRearm = true;
  window.fetch = wrapped;
})();
