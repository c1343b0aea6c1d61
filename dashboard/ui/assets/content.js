/* Client-side callbacks of the Content page (dashboard/ui/pages/content/page.py wires them). */

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  content: {
    /* The URL follows the controls in place (history.replaceState): a page re-render would lose
       what is typed in the editor or the Generate form. Returns the query it wrote. */
    syncUrl: function (view, platform, selected, isOpen) {
      const params = new URLSearchParams(window.location.search);
      const set = (key, value) => { if (value) { params.set(key, value); } else { params.delete(key); } };
      set('view', view && view !== 'board' ? view : null);
      set('platform', platform && platform !== 'all' ? platform : null);
      // A post that is not there stays named in the URL while its "not found" panel is open.
      const post = selected && (selected.id || selected.unknown);
      set('post', isOpen && post ? String(post) : null);
      const query = params.toString();
      const url = window.location.pathname + (query ? '?' + query : '') + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(window.history.state, '', url);
      }
      return query;
    },
  },
});
