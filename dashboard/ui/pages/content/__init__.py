"""The Content page (/content): the content pipeline's posts by status, a post's editor, generation.

Which module holds what:

- page.py       registers the page, builds its layout from `?view=&platform=&post=` (parse_query),
                and wires every callback below (Dash runs it for each app, so they are declared
                there and nowhere else);
- ids.py        every component id of the page, as constants;
- view.py       pure builders of what a refresh shows: KPIs, the board or table, the jobs panel;
- post_view.py  pure builders of the open post: its facts, status section, results, adaptations;
- board.py      the refresh, the jobs' "clear" button, and opening a post from a card;
- editor.py     the post panel, loading a post, saving its hook and body, moving its status;
- adapt.py      the adaptation preview of the open post;
- generate.py   the Generate form: opening it, its preview, submitting it;
- stores.py     the shapes the browser sends back in the page's stores (callback_input);

The URL sync runs in the browser: dashboard/ui/assets/content.js (`dash_clientside.content`).
"""
