"""Long model lists go into the shared cache as one JSON document and come back equal."""

import pickle
import time
from datetime import datetime

from flask_caching.backends import SimpleCache

from dashboard.domain.models import Achievement, Post
from dashboard.infra.cache import FreshCache, LocalLocks
from dashboard.infra.packing import MIN_ITEMS, PackedModels, pack, unpack
from dashboard.sources.embedded.sample_data import generate_sample


def _achievements(n: int) -> list[Achievement]:
    sample = [Achievement.model_validate(a) for a in generate_sample(datetime(2025, 1, 1)).achievements]
    return [sample[i % len(sample)].model_copy(update={"id": i + 1}) for i in range(n)]


def test_long_model_lists_round_trip_through_pickle_equal():
    for items in (
        _achievements(MIN_ITEMS + 5),
        [Post.model_validate(p) for p in generate_sample(datetime(2025, 1, 1)).posts] * 60,
    ):
        packed = pack(items)
        assert isinstance(packed, PackedModels)
        back = unpack(pickle.loads(pickle.dumps(packed)))
        assert back == items
        assert [type(x) for x in back] == [type(x) for x in items]


def test_computed_fields_are_recomputed_not_stored():
    items = _achievements(MIN_ITEMS)
    assert b"value_amount" not in pack(items).data
    assert [a.value_amount for a in unpack(pack(items))] == [a.value_amount for a in items]


def test_other_values_are_stored_as_they_are():
    short = _achievements(3)
    mixed = _achievements(MIN_ITEMS) + ["not a model"]
    for value in (short, mixed, {"a": 1}, None, "text", _achievements(1)[0], []):
        assert pack(value) is value
        assert unpack(value) is value


def test_a_second_process_reads_the_packed_list_from_the_shared_backend():
    backend = SimpleCache()
    items = _achievements(MIN_ITEMS + 1)
    writer = FreshCache(backend, LocalLocks(), ttl=60, backoff=5, lock_seconds=5)
    reader = FreshCache(backend, LocalLocks(), ttl=60, backoff=5, lock_seconds=5)  # its own decoded copy: empty
    assert writer.get("achievements:all", lambda: items).value is items
    value = reader.get("achievements:all", lambda: (_ for _ in ()).throw(AssertionError("fetched"))).value
    assert value == items
    assert reader.get("achievements:all", lambda: []).value is value  # decoded once per version
    assert isinstance(backend.get("achievements:all")[1], PackedModels)


def test_a_corrupt_packed_value_is_a_miss_not_an_error():
    backend = SimpleCache()
    cache = FreshCache(backend, LocalLocks(), ttl=60, backoff=5, lock_seconds=5, clock=time.monotonic)
    cache.get("k", lambda: _achievements(MIN_ITEMS))
    token, _ = backend.get("k")
    backend.set("k", (token, PackedModels(Achievement, b"[{broken")))
    other = FreshCache(backend, LocalLocks(), ttl=60, backoff=5, lock_seconds=5, clock=time.monotonic)
    assert other.get("k", lambda: ["fetched again"]).value == ["fetched again"]
