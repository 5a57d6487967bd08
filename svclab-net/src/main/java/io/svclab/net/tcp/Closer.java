package io.svclab.net.tcp;

/** Which side of a connection closes first once the exchange is over. */
public enum Closer {
    /** The client closes first (it ends up holding TIME_WAIT). */
    CLIENT,
    /** The server closes first (the server holds TIME_WAIT; the client's port is free at once). */
    SERVER
}
