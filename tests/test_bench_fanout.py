"""The fan-out benchmark's run, small: every DM is sent once, the workspace rate limit was hit
and each 429 honoured (nothing left unsent), close to the time the limit allows."""

from bench.fanout import run


def test_a_small_fan_out_hits_the_limit_and_sends_each_dm_once():
    result = run(messages=60, rate=30.0, burst=10)
    assert result["all_sent_once"] is True
    assert result["http_429"] >= 1  # the limit was reached …
    assert result["send_s"] >= result["floor_s"] * 0.9  # … and respected, not bypassed
