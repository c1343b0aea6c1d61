/* The command palette and the keyboard shortcuts (dashboard/ui/components/palette.py).
   Ctrl+K / ⌘K opens the palette from anywhere; in it ↑/↓ move the selection and Enter opens it.
   Outside text fields and grid cells, and without a modifier: "r" refreshes (the navbar's
   Refresh), "?" shows the shortcuts; "t" is time-range.js's. Esc is each dialog's own (Bootstrap).
   A TV (kiosk, wallboards: window.dashboardKiosk) has no keyboard user: nothing fires there. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  palette: {
    /* The navbar button opens the palette; a new address (a result opened) closes it. */
    toggle: function (_clicks, _href) {
      var triggered = (window.dash_clientside.callback_context.triggered || [])[0] || {};
      if (triggered.prop_id === "palette-button.n_clicks") { focusQuery(); return true; }
      return false;
    },
    /* "Shortcuts ?" in the palette's footer: the help instead of the palette. */
    showHelp: function (_clicks) { return [true, false]; }
  }
});

var PALETTE_MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent || "");

function paletteOpen() { return !!document.querySelector("#palette .palette-query"); }

function anyDialogOpen() {
  return !!document.querySelector(".modal.show, .offcanvas.show");
}

/* Focus the search box once the modal has mounted it, its text selected to type over. */
function focusQuery() {
  var tries = 0;
  (function attempt() {
    var box = document.getElementById("palette-query");
    if (box && box.offsetParent !== null) {
      if (document.activeElement !== box) { box.focus(); box.select(); }
      if (tries > 3) { return; }  /* Bootstrap focuses the dialog as it fades in: take it back */
    } else if (tries > 40) { return; }
    tries += 1;
    setTimeout(attempt, 50);
  })();
}

/* The box's own blur handler throws when it runs after the modal has unmounted the box. */
function blurQuery() {
  var box = document.getElementById("palette-query");
  if (box && document.activeElement === box) { box.blur(); }
}

function openPalette() {
  if (window.dash_clientside.set_props) { window.dash_clientside.set_props("palette", {is_open: true}); }
  focusQuery();
}

function paletteItems() { return Array.prototype.slice.call(document.querySelectorAll("#palette-results .palette-item")); }

function selectItem(item) {
  paletteItems().forEach(function (el) { el.classList.remove("is-active"); el.removeAttribute("aria-selected"); });
  if (!item) { return; }
  item.classList.add("is-active");
  item.setAttribute("aria-selected", "true");
  item.scrollIntoView({block: "nearest"});
}

function selectedItem() {
  return document.querySelector("#palette-results .palette-item.is-active") ||
    document.querySelector("#palette-results .palette-item.is-first");
}

function isTyping(target) {
  if (!target || target.nodeType !== 1) { return false; }
  if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return true; }
  /* A grid cell takes a printable key as the start of an edit. */
  return !!(target.closest && target.closest(".ag-root-wrapper, [role='textbox'], [role='combobox']"));
}

document.addEventListener("keydown", function (event) {
  if (window.dashboardKiosk || event.defaultPrevented) { return; }
  var key = event.key;
  if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && (key === "k" || key === "K")) {
    event.preventDefault();  /* the browser's own Ctrl+K is its address-bar search */
    openPalette();
    return;
  }
  if (paletteOpen() && key === "Escape") { blurQuery(); return; }  /* then Bootstrap closes it */
  if (paletteOpen() && (key === "ArrowDown" || key === "ArrowUp" || key === "Enter")) {
    var items = paletteItems();
    var current = selectedItem();
    if (key === "Enter") {
      if (current) { event.preventDefault(); blurQuery(); current.click(); }
      return;
    }
    if (!items.length) { return; }
    event.preventDefault();
    var at = items.indexOf(current);
    var next = key === "ArrowDown" ? Math.min(items.length - 1, at + 1) : Math.max(0, at - 1);
    selectItem(items[next]);
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) { return; }
  if (key !== "r" && key !== "?" && key !== "t") { return; }
  if (anyDialogOpen()) {
    /* A key pressed over an open dialog stays there (no refresh or time range behind it). */
    event.stopImmediatePropagation();
    return;
  }
  if (key === "r") {
    var refresh = document.getElementById("refresh-now");
    if (refresh && !refresh.disabled) { event.preventDefault(); refresh.click(); }
  } else if (key === "?") {
    event.preventDefault();
    if (window.dash_clientside.set_props) { window.dash_clientside.set_props("shortcuts-help", {is_open: true}); }
  }
});

/* What is typed starts a new selection: the first result of the next answer. */
document.addEventListener("input", function (event) {
  if (event.target && event.target.id === "palette-query") { selectItem(null); }
});

/* The pointer selects what it is over, so Enter and a click agree. */
document.addEventListener("mousemove", function (event) {
  var item = event.target && event.target.closest && event.target.closest("#palette-results .palette-item");
  if (item && !item.classList.contains("is-active")) { selectItem(item); }
});

/* On a Mac the shortcut reads ⌘ K. */
function markMac() {
  if (!PALETTE_MAC) { return; }
  document.querySelectorAll(".kbd-mod").forEach(function (el) { if (el.textContent === "Ctrl") { el.textContent = "⌘"; } });
}
if (PALETTE_MAC) { new MutationObserver(markMac).observe(document.documentElement, {childList: true, subtree: true}); }

/* A result opened (by a click or Enter) closes the palette, also when it is the page already shown. */
document.addEventListener("click", function (event) {
  var item = event.target && event.target.closest && event.target.closest("#palette-results .palette-item");
  if (!item || !window.dash_clientside.set_props) { return; }
  blurQuery();
  setTimeout(function () { window.dash_clientside.set_props("palette", {is_open: false}); }, 0);
});
