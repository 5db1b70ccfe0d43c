"""CLI sub-commands, one module per area. Each module exposes ``register(app)``.

The CLI is a thin face over the library: a command parses its options, calls the library,
and prints. Keep logic out of here.
"""
