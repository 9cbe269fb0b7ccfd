/** The server process failed (exited, or did not answer in time): offered a Restart, not just a message. */
export class ServerProcessError extends Error {
	override readonly name = 'ServerProcessError';
}

/** A failure the user has already been told about: the command that ran into it shows nothing more. */
export class ReportedError extends Error {
	override readonly name = 'ReportedError';
}

/** A start that a Stop (or a newer start) overtook: nothing to report, nothing to open. */
export class SupersededError extends Error {
	override readonly name = 'SupersededError';
}
