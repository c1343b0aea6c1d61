(function () {
  var config = JSON.parse(document.getElementById("embed-config").textContent);
  var meta = document.getElementById("meta");
  var fetchedAt = null, state = "ok", error = "", busy = false, skewMs = 0, rangeLabel = "";
  function age() {
    if (!fetchedAt) { return ""; }
    var s = Math.max(0, Math.round((Date.now() + skewMs - Date.parse(fetchedAt)) / 1000));
    return s < 60 ? s + " s" : Math.floor(s / 60) + " min";
  }
  function show() {
    meta.className = state;
    var text = state === "failed" ? "No data: " + error
      : state === "stale" ? "Stale · " + age() + " old" + (error ? " · " + error : "")
      : "Updated " + age() + " ago";
    meta.textContent = (config.notice ? config.notice + " · " : "") + (rangeLabel ? rangeLabel + " · " : "") + text;
  }
  // A KPI: its number as its card says it ("—" when unknown), and its change line.
  function showKpi(body) {
    var value = document.getElementById("kpi-value");
    value.textContent = "";
    if (body.parts) {
      // Several labelled figures ("14 drafts"), as the card shows them.
      value.className = "split";
      Object.keys(body.parts).forEach(function (label) {
        var figure = document.createElement("span"), number = document.createElement("b");
        var words = document.createElement("small");
        number.textContent = Number(body.parts[label]).toLocaleString("en-US");
        words.textContent = label;
        figure.appendChild(number); figure.appendChild(words); value.appendChild(figure);
      });
    } else {
      value.className = ""; value.textContent = body.text;
    }
    var change = document.getElementById("kpi-change");
    change.textContent = body.change || "";
    change.className = body.change_direction || "flat";
    document.body.classList.toggle("stale-value", state !== "ok");
    rangeLabel = (body.range && body.range.label) || "";  // a KPI's number is of a period: say which
  }
  function load() {
    if (busy) { return; }  // a tick while the last load runs is dropped
    busy = true;
    var url = config.figureUrl + (config.token ? "&token=" + encodeURIComponent(config.token) : "");
    fetch(url, {credentials: "same-origin"}).then(function (response) {
      fetchedAt = response.headers.get("X-Data-Fetched-At") || null;
      var serverTime = Date.parse(response.headers.get("X-Server-Time") || "");
      if (!isNaN(serverTime)) { skewMs = serverTime - Date.now(); }
      error = response.headers.get("X-Data-Error") || "";
      state = !fetchedAt ? "failed" : (response.headers.get("X-Data-Stale") === "true" ? "stale" : "ok");
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (body) {
      if (config.kind === "kpi") { showKpi(body); return; }
      Plotly.react("chart", body.data, body.layout, {responsive: true, displaylogo: false});
    }).catch(function (err) {
      state = fetchedAt ? "stale" : "failed"; error = String(err.message || err);
    }).then(function () { busy = false; show(); });
  }
  // A read-only token is renewed at half-life, in the address too, so a reload keeps working.
  function renew() {
    fetch(config.renewUrl + "?token=" + encodeURIComponent(config.token), {cache: "no-store"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) { setTimeout(renew, 60000); return; }
        config.token = body.token;
        var address = new URL(window.location.href);
        address.searchParams.set("token", body.token);
        window.history.replaceState(null, "", address.toString());
        setTimeout(renew, body.renew_after_s * 1000);
      }).catch(function () { setTimeout(renew, 60000); });
  }
  if (config.token) { setTimeout(renew, config.renewInMs); }
  load();
  setInterval(load, config.refreshMs);
  setInterval(show, 1000);
})();
