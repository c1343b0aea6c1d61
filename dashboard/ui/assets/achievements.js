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
