#!/usr/bin/env bash
# Installs real VS Code for the end-to-end tests: code-server (VS Code's workbench in a browser, with a normal
# Node extension host) from the npm registry, and the Node 24 it runs on, into a cache folder outside the
# project. Idempotent: a complete install that runs is kept (checking takes about two seconds); a cold one takes
# about 3 minutes (code-server's native modules are compiled). The cache folder may be moved or restored elsewhere.
#
#   test/e2e/install-code-server.sh            # prints CODE_SERVER=<executable> on its last line
#
# Env: LDS_CACHE_DIR (default $HOME/.cache/live-dev-server), LDS_CODE_SERVER_VERSION (4.139.1),
#      LDS_NODE_VERSION (24.21.0), LDS_FORCE=1 (reinstall).
# Needs Linux, any Node + npm, python3/make/g++, and the Debian packages below (.ci/run installs them).
# Leaves $CACHE/bin/code-server pointing at the installed version; the e2e test runs that.
set -Eeuo pipefail

CS_VERSION="${LDS_CODE_SERVER_VERSION:-4.139.1}"
NODE_VERSION="${LDS_NODE_VERSION:-24.21.0}"
CACHE="${LDS_CACHE_DIR:-$HOME/.cache/live-dev-server}"
FORCE="${LDS_FORCE:-0}"
BUILD_PACKAGES=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config)

started=$(date +%s)
log() { printf '[install-code-server +%ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }
die() { printf '[install-code-server] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(uname -s)" = Linux ] || die "only Linux is supported"
case "$(uname -m)" in
	x86_64 | amd64) arch=x64 ;;
	aarch64 | arm64) arch=arm64 ;;
	*) die "unsupported architecture $(uname -m)" ;;
esac
command -v npm >/dev/null || die "npm not found (any Node + npm bootstraps the install)"

mkdir -p "$CACHE/logs" "$CACHE/bin"
CACHE="$(cd "$CACHE" && pwd -P)"
NODE24="$CACHE/node24"
PREFIX="$CACHE/code-server-$CS_VERSION"
WRAPPER="$PREFIX/bin/code-server"
NODE_MARK="node-linux-$arch@$NODE_VERSION"
CS_MARK="code-server@$CS_VERSION node@$NODE_VERSION"

# What run_logged starts. However this script ends (error, Ctrl-C, TERM), they go with it: a leftover heartbeat
# would print forever, and the command and its compilers would keep the lock (fd 9) they inherit. (A SIGKILL runs
# no trap: the command then finishes under the lock, and the heartbeat notices and ends by itself.)
beat='' command_pid=''
stop_children() {
	if [ -n "$beat" ]; then kill "$beat" 2>/dev/null || true; fi
	if [ -n "$command_pid" ]; then kill -TERM -- "-$command_pid" 2>/dev/null || true; fi
}
trap stop_children EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# One installer at a time per cache folder (parallel CI jobs on one machine).
exec 9>"$CACHE/.install.lock"
if ! flock -n 9; then
	log "waiting for the other install-code-server.sh using $CACHE (lock: $CACHE/.install.lock)"
	flock -w 3600 9 || die "timed out waiting for $CACHE/.install.lock"
fi

# Runs a long command with its output in a log file, printing a line every minute so CI does not look stuck.
# The command runs in the background and is waited for, so that Ctrl-C and TERM reach the traps above at once.
run_logged() {
	local logfile=$1 rc=0 ticks=0
	shift
	echo "+ $*" >>"$logfile"
	# 9>&-: the heartbeat never holds the lock; kill -0 $$: it also ends when this script was SIGKILLed.
	(
		trap 'kill "$pause" 2>/dev/null; exit 0' TERM
		while kill -0 $$ 2>/dev/null; do
			sleep 2 & pause=$!
			wait "$pause"
			ticks=$((ticks + 1))
			if [ $((ticks % 30)) = 0 ]; then log "  ... still working"; fi
		done
	) 9>&- &
	beat=$!
	# setsid: the command and everything it starts form one process group (whose id is $!), to stop together.
	setsid "$@" >>"$logfile" 2>&1 &
	command_pid=$!
	wait "$command_pid" || rc=$?
	command_pid=''
	kill "$beat" 2>/dev/null || true
	wait "$beat" 2>/dev/null || true
	beat=''
	if [ "$rc" != 0 ]; then
		tail -n 40 "$logfile" >&2
		die "'$*' failed with exit code $rc (full log: $logfile)"
	fi
}

# ---- Node 24 (code-server 4.139 needs it; the machine's Node 20 stays the default) ----
if [ "$FORCE" != 1 ] && [ "$(cat "$NODE24/.lds-complete" 2>/dev/null)" = "$NODE_MARK" ] \
	&& [ "$("$NODE24/bin/node" -v 2>/dev/null)" = "v$NODE_VERSION" ]; then
	log "Node $NODE_VERSION: already in $NODE24"
else
	log "Node $NODE_VERSION: installing node-linux-$arch from npm"
	scratch="$CACHE/.node-scratch"
	rm -rf "$scratch" "$NODE24"
	mkdir -p "$scratch"
	# The `node` npm package is a wrapper whose install script fetches this one; take it directly.
	run_logged "$CACHE/logs/node24.log" npm install --prefix "$scratch" --no-save --no-package-lock --ignore-scripts \
		--no-audit --no-fund "node-linux-$arch@$NODE_VERSION"
	# Copied to a stable folder: it is also the headers folder (npm_config_nodedir) of the native builds.
	cp -a "$scratch/node_modules/node-linux-$arch" "$NODE24"
	rm -rf "$scratch"
	[ -f "$NODE24/include/node/node.h" ] || die "node-linux-$arch@$NODE_VERSION has no include/node headers"
	[ "$("$NODE24/bin/node" -v)" = "v$NODE_VERSION" ] || die "$NODE24/bin/node is not v$NODE_VERSION"
	echo "$NODE_MARK" >"$NODE24/.lds-complete"
fi

# ---- code-server ----
# The package's own bin uses whatever `node` comes first on PATH: this wrapper pins the cache's Node 24. It finds
# both relative to its own location (also when started through the $CACHE/bin symlink), so the folder can move.
write_wrapper() {
	mkdir -p "$PREFIX/bin"
	cat >"$WRAPPER.tmp" <<-EOF
		#!/bin/sh
		# code-server $CS_VERSION on Node $NODE_VERSION (written by test/e2e/install-code-server.sh)
		prefix="\$(dirname "\$(dirname "\$(readlink -f "\$0")")")"
		exec "\$(dirname "\$prefix")/node24/bin/node" "\$prefix/node_modules/code-server/out/node/entry.js" "\$@"
	EOF
	chmod +x "$WRAPPER.tmp"
	mv -f "$WRAPPER.tmp" "$WRAPPER"
}

# The first line `code-server --version` prints, or nothing when it does not run.
code_server_version() {
	local version
	# --config and XDG_DATA_HOME: otherwise code-server writes into ~/.config and ~/.local/share.
	version="$(XDG_DATA_HOME="$PREFIX/.verify" "$WRAPPER" --config /dev/null --version 2>/dev/null | head -n 1)" || true
	rm -rf "$PREFIX/.verify"
	printf '%s' "$version"
}

installed=0
if [ "$FORCE" != 1 ] && [ "$(cat "$PREFIX/.lds-complete" 2>/dev/null)" = "$CS_MARK" ]; then
	# Rewritten every time: it may come from an older version of this script, with absolute paths.
	write_wrapper
	version="$(code_server_version)"
	case "$version" in
		"$CS_VERSION "*) installed=1 ;;
		*) log "code-server $CS_VERSION: the copy in $PREFIX does not run (--version printed '$version'); reinstalling" ;;
	esac
fi
if [ "$installed" = 1 ]; then
	log "code-server $CS_VERSION: already in $PREFIX"
else
	missing=()
	for package in "${BUILD_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
	done
	[ "${#missing[@]}" = 0 ] || die "missing Debian packages for the native builds; run: apt-get install -y ${missing[*]}"
	for tool in python3 make g++; do command -v "$tool" >/dev/null || die "$tool not found (node-gyp needs it)"; done

	log "code-server $CS_VERSION: npm install with native builds (a few minutes; log: $CACHE/logs/code-server-$CS_VERSION.log)"
	rm -rf "$PREFIX"
	mkdir -p "$PREFIX/bin"
	echo '{ "name": "lds-code-server", "private": true }' >"$PREFIX/package.json"
	# Node 24 first on PATH: the postinstall checks the Node major and runs `npm install` in lib/vscode.
	# npm_config_nodedir (the environment beats a `nodedir` in ~/.npmrc) builds against Node 24's headers.
	run_logged "$CACHE/logs/code-server-$CS_VERSION.log" env PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" \
		JOBS="$(nproc)" npm_config_update_notifier=false \
		npm install --prefix "$PREFIX" --no-save --no-audit --no-fund "code-server@$CS_VERSION"
	write_wrapper

	log "code-server $CS_VERSION: checking that it runs and that its native modules load"
	version="$(code_server_version)"
	case "$version" in "$CS_VERSION "*) ;; *) die "code-server --version printed '$version'" ;; esac
	(cd "$PREFIX/node_modules/code-server/lib/vscode" && "$NODE24/bin/node" -e '
		for (const name of ["node-pty", "@parcel/watcher", "@vscode/spdlog", "@vscode/sqlite3", "kerberos"]) require(name);
		require("child_process").execFileSync(require("@vscode/ripgrep-universal").rgPath, ["--version"]);') \
		|| die "a native module of code-server does not load under Node $NODE_VERSION"
	echo "$CS_MARK" >"$PREFIX/.lds-complete"
fi

# Relative, like the wrapper's paths: a moved or restored cache keeps working without running this script again.
ln -sfn "../code-server-$CS_VERSION/bin/code-server" "$CACHE/bin/code-server"
log "ready in $(( $(date +%s) - started ))s"
echo "CODE_SERVER=$CACHE/bin/code-server"
