# kontor build configuration; override on the command line, e.g.
# make PREFIX=/opt/kontor CC=clang

VERSION = 0.1.0

PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
MANPREFIX = $(PREFIX)/share/man
DOCDIR = $(PREFIX)/share/doc/kontor
DATADIR = $(PREFIX)/share/kontor

CC = cc
PKG_CONFIG ?= pkg-config
AR = ar

CFLAGS = -O2 -g
LDFLAGS =

# Build directory; check-asan uses its own so the two never mix.
BUILD = build
