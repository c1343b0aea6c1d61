from dashboard.services.wallboard import DEFAULT_PLAYLIST, View, load_profiles, parse_views


def test_views_parameter():
    playlist = parse_views("overview:30:7d,system:15,achievements-kpis:20:30d")
    assert playlist.views == (View("overview", 30, "7d"), View("system", 15), View("achievements-kpis", 20, "30d"))
    assert playlist.problems == ()


def test_bad_entries_are_reported_and_the_rest_still_play():
    playlist = parse_views("overview:30:7d,weather:10,system:2,system:x,overview:10:2w,content")
    assert playlist.views == (View("overview", 30, "7d"),)
    text = " | ".join(playlist.problems)
    assert "unknown view 'weather'" in text and "2 s is outside 5–3600 s" in text
    assert "'x' is not a number of seconds" in text and "range '2w'" in text
    assert "'content': write view:seconds" in text


def test_nothing_playable_falls_back_to_the_default():
    playlist = parse_views("nope:1")
    assert playlist.views == parse_views(DEFAULT_PLAYLIST).views
    assert "no playable view" in playlist.problems[-1]


def test_profiles_file_in_the_repository_is_valid():
    profiles = load_profiles()
    assert {"ops", "leadership", "lobby"} <= set(profiles)
    for name, playlist in profiles.items():
        assert playlist.views and playlist.problems == (), name


def test_broken_profile_entry_is_reported(tmp_path):
    path = tmp_path / "boards.yaml"
    path.write_text("tv:\n  views:\n    - {view: overview, seconds: 30}\n    - {view: nope, seconds: 10}\n")
    playlist = load_profiles(path)["tv"]
    assert playlist.views == (View("overview", 30),) and "unknown view 'nope'" in playlist.problems[0]
