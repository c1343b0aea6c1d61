/* The Achievements page's client-side callbacks (dashboard/ui/pages/achievements). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  achievements: {
    /* Search, filters and reloads purge the grid's blocks; the grid then asks for rows again. */
    syncGrid: function (search, publishedOnly, unreadableOnly, reload, tick) {
      const api = dash_ag_grid.getApi('achievements-grid');
      if (!api) { return window.dash_clientside.no_update; }
      const trigger = window.dash_clientside.callback_context.triggered.map(t => t.prop_id);
      if (trigger.some(t => t.startsWith('achievements-search') || t.startsWith('achievements-published')
                        || t.startsWith('achievements-unreadable'))) {
        api.purgeInfiniteCache();
      } else if (!api.getEditingCells().length) {
        api.refreshInfiniteCache();  // keeps the scroll position; skipped while someone types
      }
      return window.dash_clientside.no_update;
    },

    /* A phone's grid: Title as narrow as still reads, so the business value (the next column) and
       the row's checkbox show beside it; a desk keeps the width columns.py gives it. */
    fitTitle: function (gridId) {
      if (window.innerWidth >= 576) { return window.dash_clientside.no_update; }
      return dash_ag_grid.getApiAsync(gridId).then(function (api) {
        api.setColumnWidths([{key: "title", newWidth: 170}]);
        return 170;
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
