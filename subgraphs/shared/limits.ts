/** Rows one import request may carry (a file is sent in chunks of this size). */
export const MAX_IMPORT_ROWS = 1000;

/** Where an instance answers which regions its records refer to (signed requests of the gateway only). */
export const REFERENCES_PATH = '/references';
