/* The Wallboard's client-side callback (dashboard/ui/pages/wallboard/page.py wires it). */

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  wallboard: {
    /* The next view's index and its own duration, on the timer of the view on screen. */
    rotate: function (n, views, index) {
      if (!views || views.length < 2) {
        return [window.dash_clientside.no_update, window.dash_clientside.no_update];
      }
      var next = ((index || 0) + 1) % views.length;
      return [next, views[next].seconds * 1000];
    },
  },
});
