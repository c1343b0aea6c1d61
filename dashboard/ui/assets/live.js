/* The live channel (dashboard/web/live.py): one EventSource per screen.

   A `change` event names the data sets that changed; each has a store `live-<name>` that the
   callbacks drawing it listen to, so only those parts refresh. While the channel is up the
   refresh timer is stopped (max_intervals 0: the callbacks' `running=` toggles `disabled`, not
   this); when it drops, the screen says so in the navbar and polls on its interval until the
   channel is back. Reconnects wait a jittered, growing delay (no storm when a server restarts)
   and resume from the last event id: the server replays what was missed, or says `resync`. */
(function () {
  var live = {
    source: null, lastId: null, failures: 0, retryTimer: null, config: null,
    state: "off", pending: {}, checked: {}
  };
  window.dashboardLive = live;

  function setProps(id, props) {
    var set = window.dash_clientside && window.dash_clientside.set_props;
    if (!set) { return; }
    try { set(id, props); } catch (e) { /* not on this page */ }
  }

  function show(state, title) {
    live.state = state;
    var text = {live: "Live", polling: "Polling", connecting: "Connecting…"}[state] || "";
    setProps("live-status", {children: text, title: title || "", className: "live-status live-status--" + state});
    // While live, no timer: pushes refresh the screen. Otherwise, poll on the interval.
    setProps("refresh-interval", {max_intervals: state === "live" ? 0 : -1});
    if (state !== "live") { live.checked = {}; window.dashboardLiveVerified = null; }
  }

  function address() {
    var url = new URL(live.config.live, window.location.origin);
    var token = new URL(window.location.href).searchParams.get("token");  // a wallboard's read-only token
    if (token) { url.searchParams.set("token", token); }
    if (live.lastId) { url.searchParams.set("last", live.lastId); }
    return url.toString();
  }

  function flush() {
    var names = Object.keys(live.pending);
    names.forEach(function (name) { setProps("live-" + name, {data: live.pending[name]}); });
    live.pending = {};
  }

  function refresh(versions) {
    Object.keys(versions).forEach(function (name) { live.pending[name] = versions[name]; });
    // A hidden tab (outside kiosk mode) refreshes when it is shown again, not meanwhile.
    if (document.hidden && !window.dashboardKiosk) { return; }
    flush();
  }

  function onChecked(event) {
    live.lastId = event.lastEventId || live.lastId;
    try { live.checked = JSON.parse(event.data) || {}; } catch (e) { live.checked = {}; }
    var times = Object.keys(live.checked).map(function (k) { return live.checked[k]; });
    // Every data set was confirmed unchanged at least this recently (server ms): the ages on
    // screen count from here, not from the last fetch that found something new.
    window.dashboardLiveVerified = times.length ? Math.min.apply(null, times) : null;
  }

  function connect() {
    clearTimeout(live.retryTimer);
    live.retryTimer = null;
    if (live.source) { live.source.close(); }
    show(live.failures ? "polling" : "connecting", "Connecting to the live channel…");
    var source = new EventSource(address());
    live.source = source;
    source.addEventListener("open", function () {
      live.failures = 0;
      show("live", "Changes appear as they happen");
    });
    source.addEventListener("change", function (event) {
      live.lastId = event.lastEventId || live.lastId;
      try { refresh(JSON.parse(event.data) || {}); } catch (e) { /* a garbled event: the next one counts */ }
    });
    source.addEventListener("resync", function (event) {
      live.lastId = event.lastEventId || live.lastId;
      var all = {};
      (live.config.live_names || []).forEach(function (name) { all[name] = "resync-" + Date.now(); });
      refresh(all);
    });
    source.addEventListener("checked", onChecked);
    source.addEventListener("error", function () {
      // The stream ended (the server's lifetime, a restart, a proxy) or never opened (503: too
      // many screens, or polling only). Poll meanwhile; reconnect later, resuming at lastId.
      source.close();
      if (live.source !== source) { return; }
      live.source = null;
      var first = live.failures === 0 && live.state === "live";
      live.failures += 1;
      var base = first ? 0.5 : Math.min(60, Math.pow(2, Math.min(live.failures, 6)));
      var delay = (base * (0.5 + Math.random())) * 1000;
      show("polling", "Live updates paused: refreshing every interval; reconnecting in " +
           Math.round(delay / 1000) + " s");
      live.retryTimer = setTimeout(connect, delay);
    });
  }

  function reconnectNow() {
    // The network is back, or a tab hidden through a long back-off is shown again: try now
    // rather than at the end of a delay that may have grown to a minute.
    if (live.config && !live.source && live.retryTimer !== null) { live.failures = Math.min(live.failures, 1); connect(); }
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { flush(); reconnectNow(); }
  });
  window.addEventListener("online", reconnectNow);

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    live: {
      /* Once per page load, from the root layout's config: open the channel (when it is on). */
      start: function (config) {
        if (!config || !config.live || !window.EventSource || live.config) { return window.dash_clientside.no_update; }
        live.config = config;
        connect();
        return window.dash_clientside.no_update;
      }
    }
  });
})();
