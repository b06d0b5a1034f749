/**
 * The collector's defaults that more than one module reads (the app factory and the environment
 * reader): here, so that reading the configuration does not load the app (and Fastify) with it.
 */

/** K: the different reporters a domain needs before it is counted and listed. */
export const DEFAULT_THRESHOLD = 3;
