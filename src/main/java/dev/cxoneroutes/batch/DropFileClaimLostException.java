package dev.cxoneroutes.batch;

/**
 * Another instance holds the drop file now: this one stopped renewing its lease in time (frozen, cut
 * off from the state store) and the file was taken over. Whatever this instance was doing with the
 * file stops; the file is no failure and is not touched.
 */
public class DropFileClaimLostException extends RuntimeException {

    public DropFileClaimLostException(String file) {
        super("Drop file " + file + " is no longer held by this instance: another instance took it over");
    }
}
