#!/bin/sh
# make run: the TUI with the engine auto-started on the default root.
BUILD=$1
exec "$BUILD/corral"
