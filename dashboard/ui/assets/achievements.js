/* The Achievements page's client-side callbacks (dashboard/ui/pages/achievements). */

/* On a desk, Title takes the width the other columns leave (at least the width columns.py
   gives it): it is pinned beside the checkboxes, and AG Grid does not flex a pinned column. */
function fillTitle(api) {
  const viewport = document.querySelector('#achievements-grid .ag-body-viewport');
  const title = api.getColumn('title');
  // A phone narrows it (fitTitle); a TV's Title flexes, unpinned (screen_columns).
  if (window.innerWidth < 576 || !viewport || !title || api.isDestroyed() || title.getFlex()) { return; }
  const others = api.getAllDisplayedColumns().filter(c => c !== title)
    .reduce((sum, c) => sum + c.getActualWidth(), 0);
  const width = Math.max(title.getColDef().width || 0, viewport.clientWidth - others);
  if (Math.abs(width - title.getActualWidth()) > 1) { api.setColumnWidths([{key: 'title', newWidth: width}]); }
}
/* The grid's menus (set filters, columns, saved views) are <details>: open while boxes are
   ticked, closed by a click elsewhere or Escape, as a dropdown is. */
function closeGridMenus(keep) {
  document.querySelectorAll('details.grid-menu[open]').forEach(function (menu) {
    if (menu !== keep) { menu.removeAttribute('open'); }
  });
}
document.addEventListener('click', function (event) {
  closeGridMenus(event.target.closest ? event.target.closest('details.grid-menu') : null);
});
document.addEventListener('keydown', function (event) {
  if (event.key === 'Escape') { closeGridMenus(null); }
});

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  achievements: {
    /* Search, filters and reloads purge the grid's blocks; the grid then asks for rows again. */
    syncGrid: function (search, publishedOnly, unreadableOnly, categories, sourceTypes, reload, tick) {
      const api = dash_ag_grid.getApi('achievements-grid');
      if (!api) { return window.dash_clientside.no_update; }
      const trigger = window.dash_clientside.callback_context.triggered.map(t => t.prop_id);
      if (trigger.some(t => t.startsWith('achievements-search') || t.startsWith('achievements-published')
                        || t.startsWith('achievements-unreadable') || t.startsWith('achievements-category')
                        || t.startsWith('achievements-source-type'))) {
        api.purgeInfiniteCache();
      } else if (!api.getEditingCells().length) {
        api.refreshInfiniteCache();  // keeps the scroll position; skipped while someone types
      }
      return window.dash_clientside.no_update;
    },

    /* A phone's grid: Title as narrow as still reads, so the business value (the next column) and
       the row's checkbox show beside it; a desk's fills the room left (fillTitle). */
    fitTitle: function (gridId) {
      if (window.innerWidth >= 576) { return window.dash_clientside.no_update; }
      return dash_ag_grid.getApiAsync(gridId).then(function (api) {
        api.setColumnWidths([{key: "title", newWidth: 170}]);
        return 170;
      });
    },

    /* The grid's view into the URL, in place: replaceState adds no history entry and reloads
       nothing; the parameters the grid does not own (refresh=, kiosk=, the navbar's) are kept.
       `state` comes from the server (gridstate.url_data), which alone knows the format. */
    writeUrl: function (state, shownColumns) {
      const trigger = window.dash_clientside.callback_context.triggered.map(t => t.prop_id);
      const params = new URLSearchParams(window.location.search);
      if (state && trigger.some(t => t.startsWith('achievements-url-state'))) {
        for (const key of Array.from(params.keys())) {
          if (state.owned.includes(key) || key.startsWith(state.prefix)) { params.delete(key); }
        }
        new URLSearchParams(state.query).forEach(function (value, key) { params.append(key, value); });
      }
      if (state && Array.isArray(shownColumns)) {
        const shown = state.columns.filter(c => shownColumns.includes(c));
        if (shown.length === state.columns.length) { params.delete('cols'); }
        else { params.set('cols', shown.join(',')); }
      }
      const search = params.toString().replace(/%2C/g, ',');  // commas read as commas in a link
      const url = window.location.pathname + (search ? '?' + search : '') + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(window.history.state, '', url);
      }
      return search;
    },

    /* A set filter's button says how many values are ticked ("" for none: every value). */
    countTicked: function (ticked) {
      return Array.isArray(ticked) && ticked.length ? String(ticked.length) : '';
    },

    /* The column chooser shows and hides columns without rebuilding the grid's definitions. */
    showColumns: function (shown, gridId) {
      if (!Array.isArray(shown)) { return window.dash_clientside.no_update; }
      return dash_ag_grid.getApiAsync(gridId).then(function (api) {
        const all = api.getColumns().map(c => c.getColId()).filter(c => c !== 'details' && !c.startsWith('ag-Grid'));
        api.setColumnsVisible(all.filter(c => shown.includes(c)), true);
        api.setColumnsVisible(all.filter(c => !shown.includes(c)), false);
        return shown.length;
      });
    },

    /* The footer says which rows show: "Rows 1–18 of 1,234", following scrolling and filtering. */
    followRows: function (gridId) {
      return dash_ag_grid.getApiAsync(gridId).then(function (api) {
        const footer = document.getElementById('achievements-footer');
        const say = function () {
          if (!footer || api.isDestroyed()) { return; }
          const total = api.getDisplayedRowCount();
          const range = api.getVerticalPixelRange();
          const shown = api.getRenderedNodes().filter(function (n) {
            return n.data && n.rowTop != null && n.rowTop + n.rowHeight > range.top + 1 && n.rowTop < range.bottom - 1;
          }).map(n => n.rowIndex);
          if (!total || !shown.length) {
            footer.textContent = total ? '' : 'No rows';
            return;
          }
          const first = Math.min.apply(null, shown) + 1, last = Math.max.apply(null, shown) + 1;
          footer.textContent = 'Rows ' + first.toLocaleString('en-US') + '–' + last.toLocaleString('en-US')
            + ' of ' + total.toLocaleString('en-US');
        };
        ['bodyScrollEnd', 'modelUpdated', 'viewportChanged', 'gridSizeChanged'].forEach(e => api.addEventListener(e, say));
        ['gridSizeChanged', 'displayedColumnsChanged'].forEach(e => api.addEventListener(e, function () { fillTitle(api); }));
        say();
        fillTitle(api);
        return true;
      });
    }
  }
});

/* Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo, as in a spreadsheet, when the focus is in the grid
   but not in a cell's editor (there the keys belong to the text). They press the page's own
   Undo/Redo buttons, so a shortcut does exactly what a click does, and nothing when disabled. */
document.addEventListener('keydown', function (event) {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) { return; }
  const key = event.key.toLowerCase();
  const redo = key === 'y' || (key === 'z' && event.shiftKey);
  if (key !== 'z' && key !== 'y') { return; }
  const target = event.target;
  if (!(target instanceof Element) || !target.closest('#achievements-grid')) { return; }
  if (target.closest('.ag-cell-inline-editing, .ag-popup-editor, .ag-cell-editor, input:not([type=checkbox]), textarea, select')) {
    return;
  }
  const button = document.getElementById(redo ? 'achievements-redo' : 'achievements-undo');
  event.preventDefault();
  if (button && !button.disabled) { button.click(); }
});
