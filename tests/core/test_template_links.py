"""Templates' url_for remembers the links every page repeats, and gives what Flask's gives."""

from __future__ import annotations

from flask import Flask, render_template_string, url_for


def _links(app: Flask, source: str, base_url: str = "http://localhost/") -> str:
    with app.test_request_context(base_url=base_url):
        return render_template_string(source)


def test_the_same_links_as_flask(app: Flask) -> None:
    source = (
        "{{ url_for('leaderboards.index') }} {{ url_for('static', filename='css/app.css') }} "
        "{{ url_for('leaderboards.index', period='week') }} "
        "{{ url_for('people.profile', user_id=7) }} {{ url_for('home.index', _external=True) }}"
    )
    with app.test_request_context():
        expected = " ".join(
            [
                url_for("leaderboards.index"),
                url_for("static", filename="css/app.css"),
                url_for("leaderboards.index", period="week"),
                url_for("people.profile", user_id=7),
                url_for("home.index", _external=True),
            ]
        )
    assert _links(app, source) == expected == _links(app, source)  # remembered: still the same
    assert expected.split()[2] == "/leaderboard/?period=week"


def test_an_app_mounted_under_a_prefix_gets_prefixed_links(app: Flask) -> None:
    source = "{{ url_for('leaderboards.index') }} {{ url_for('static', filename='js/app.js') }}"
    assert _links(app, source) == "/leaderboard/ /static/js/app.js"
    mounted = _links(app, source, base_url="http://localhost/referrals/")
    assert mounted == "/referrals/leaderboard/ /referrals/static/js/app.js"
    assert _links(app, source) == "/leaderboard/ /static/js/app.js"
