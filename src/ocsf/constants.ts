/**
 * The OCSF conversion's exported constants, apart from the code that uses them: the Node build exports them as they
 * are and loads the rest when a program first uses it (src/node/lazy-tools.ts).
 *
 * Web-standard globals only.
 */

/** The OCSF version the events follow (`metadata.version`). */
export const OCSF_VERSION = "1.8.0";
