# What the end-to-end cases that stage a race share; a case sources it
# (. "$KONTOR_TOP/tests/e2e/race.sh"), it runs nothing by itself.

# poll TRIES WHAT CMD...: runs CMD every 0.05 s until it succeeds; after
# TRIES tries the case fails, saying that WHAT.
poll() {
	tries=$1 what=$2
	shift 2
	i=0
	until "$@"; do
		i=$((i + 1))
		[ "$i" -lt "$tries" ] || { echo "$what"; exit 1; }
		sleep 0.05
	done
}

# sleeps_in PID WORD: PID waits in the kernel in a function named WORD.
sleeps_in() {
	grep -q "$2" "/proc/$1/wchan" 2>/dev/null
}

# db_lock DB: takes the write lock of the SQLite database DB in a sqlite3
# in the background ($sql), fed on descriptor 4, until db_unlock.
db_lock() {
	mkfifo "$WORK/sql"
	sqlite3 "$1" <"$WORK/sql" >"$WORK/sql.out" 2>&1 &
	sql=$!
	exec 4>"$WORK/sql"
	echo "BEGIN IMMEDIATE; SELECT 'locked';" >&4
	poll 200 "the lock was not taken" grep -q '^locked$' "$WORK/sql.out"
}

# db_unlock END: ends db_lock's transaction with END (COMMIT, ROLLBACK).
db_unlock() {
	echo "$1;" >&4
	exec 4>&-
	wait "$sql"
	rm "$WORK/sql"
}

# spool_loses T FILE: kontor-spool on the tenant T finds its last spool
# file, FILE (relative to T), taken by another run, which moves it to
# rejected/ beside a .reason.  kontor-spool writes into a FIFO that is
# open but not yet read, so it has opened the state database and is
# stuck on a full pipe.  Then the database's write lock is taken, the
# FIFO is read, and kontor-spool reads FILE and waits for the lock to
# refuse it (its busy handler sleeps); meanwhile FILE moves, and the
# lock is let go.  Its records go to $WORK/actual.out, its stderr to
# $WORK/actual.err, its exit status to $status.
spool_loses() {
	mkfifo "$WORK/fifo"
	status=0
	kontor-spool --tenant "$1" >"$WORK/fifo" 2>"$WORK/actual.err" &
	pid=$!
	exec 3<"$WORK/fifo"
	poll 200 "kontor-spool never filled the pipe" sleeps_in "$pid" pipe_w
	db_lock "$1/state.db"
	cat <&3 >"$WORK/actual.out" &
	poll 600 "kontor-spool never waited" sleeps_in "$pid" nanosleep
	r="$1/$(dirname "$2")/rejected"
	mkdir "$r"
	echo "refused by the other run" >"$r/$(basename "$2").reason"
	mv "$1/$2" "$r/"
	db_unlock COMMIT
	wait "$pid" || status=$?
	wait
	exec 3<&-
}
