/** Marks the extension host's console lines that belong to our test run, among the workbench's. */
export const hostLinePrefix = '[trace-lens-test] ';
