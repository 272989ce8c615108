"""The client's config: the CLI's file format, where it is found, and the environment over it."""
import pytest

import baton
from baton import config


def test_the_file_is_flat_key_value_lines_with_comments_and_quotes():
    text = "\n".join([
        "# written by baton login",
        "server: http://127.0.0.1:8080/api/v1/   # with the API's path",
        "token: 'bt_it''s'",
        'project: "my-project"',
        "",
        "other: kept",
        "empty:",
    ])
    assert config.parse(text) == {"server": "http://127.0.0.1:8080/api/v1/", "token": "bt_it's",
                                  "project": "my-project", "other": "kept", "empty": None}


@pytest.mark.parametrize("text, problem", [("server http://x", "not a 'key: value' line"),
                                           ("token: 'open", "a quote is not closed"),
                                           ("token: 'a' b", "text after the closing quote")])
def test_a_malformed_line_is_an_error_with_its_line(text, problem):
    with pytest.raises(baton.ConfigError, match="f.yml:2: " + problem):
        config.parse("# first\n" + text, "f.yml")


def test_the_file_is_under_xdg_config_home_or_home(tmp_path):
    assert config.config_path({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "baton" / "config.yml"
    assert config.config_path({"HOME": str(tmp_path)}) == tmp_path / ".config" / "baton" / "config.yml"


def test_the_environment_wins_over_the_file(tmp_path):
    (tmp_path / "baton").mkdir()
    (tmp_path / "baton" / "config.yml").write_text("server: http://a:1/\ntoken: from-file\nproject: p\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    assert config.read(env) == {"server": "http://a:1", "token": "from-file", "project": "p"}
    env.update(BATON_SERVER="http://b:2/api/v1", BATON_TOKEN="from-env")
    assert config.read(env) == {"server": "http://b:2", "token": "from-env", "project": "p"}


def test_a_client_without_a_server_or_token_says_where_to_put_them(tmp_path, monkeypatch, no_step):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    with pytest.raises(baton.ConfigError, match="no Baton server"):
        baton.Client()
    with pytest.raises(baton.ConfigError, match="no token"):
        baton.Client(server="http://127.0.0.1:1")
    client = baton.Client(server="http://127.0.0.1:1/api/v1", token="t")
    assert (client.server, client.project) == ("http://127.0.0.1:1", "default")


def test_an_unreachable_server_is_a_connection_error(no_step):
    with pytest.raises(ConnectionError, match="cannot reach the Baton server at http://127.0.0.1:1"):
        baton.Client(server="http://127.0.0.1:1", token="t").get_run("x")


def test_downloads_never_leave_their_folder(tmp_path):
    from baton.client import _inside

    assert _inside(tmp_path, "train[lr=0.1]", "best/model.pkl") == tmp_path / "train[lr=0.1]" / "best" / "model.pkl"
    for bad in ("../x", "a/../../x", "/etc/passwd"):
        with pytest.raises(ValueError, match="outside"):
            _inside(tmp_path, "step", bad)
    with pytest.raises(ValueError, match="not a sha256"):
        baton.Client(server="http://127.0.0.1:1", token="t").download_blob("../../etc", tmp_path / "f")
