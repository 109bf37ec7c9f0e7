"""pydeck map builders: each returns a `pdk.Deck`, tested on `deck.to_json()`."""
