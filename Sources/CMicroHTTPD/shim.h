#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <string.h>
#include <microhttpd.h>

/// MHD_start_daemon is variadic; Swift passes its options as one MHD_OPTION_ARRAY
/// (terminated by MHD_OPTION_END) and the URI log / completion callbacks here.
static inline struct MHD_Daemon *
cmhd_start(unsigned int flags, MHD_AccessHandlerCallback handler, void *handler_cls,
           MHD_RequestCompletedCallback completed, void *completed_cls,
           void *(*uri_log)(void *cls, const char *uri, struct MHD_Connection *con), void *uri_log_cls,
           MHD_AcceptPolicyCallback accept_policy, void *accept_cls,
           MHD_NotifyConnectionCallback connection_notify, void *notify_cls,
           struct MHD_OptionItem *options) {
    return MHD_start_daemon(flags, 0, accept_policy, accept_cls, handler, handler_cls,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, completed_cls,
                            MHD_OPTION_URI_LOG_CALLBACK, uri_log, uri_log_cls,
                            MHD_OPTION_NOTIFY_CONNECTION, connection_notify, notify_cls,
                            MHD_OPTION_ARRAY, options,
                            MHD_OPTION_END);
}

/// Whether an accepted peer is this machine's loopback (127.0.0.1 or ::1): the kiosk's own
/// browser, which keeps a reserve of connections.
static inline int cmhd_is_kiosk_loopback(const struct sockaddr *addr) {
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *) addr;
        return ntohl(in->sin_addr.s_addr) == 0x7F000001u;
    }
    if (addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) addr;
        static const unsigned char loopback[16] = {0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1};
        return memcmp(in6->sin6_addr.s6_addr, loopback, 16) == 0;
    }
    return 0;
}

/// MHD_get_daemon_info is variadic too.
static inline uint16_t cmhd_bind_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}


#include <malloc.h>
/// malloc_trim(3): give freed heap pages back after start-up (glibc only).
static inline void cmhd_release_free_memory(void) { malloc_trim(0); }

/// MHD_get_connection_info is variadic: the connection's socket.
static inline int cmhd_connection_fd(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info ? info->connect_fd : -1;
}

/// Whether the client has shut down its sending side (a read would return 0), without
/// taking any byte: a request that arrived together with its FIN.
static inline int cmhd_peer_finished(int fd) {
    char byte;
    ssize_t n = recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0;
}

/// Whether the request head leaves less than `reserve` bytes of the connection's memory
/// pool (`memory`): the pool holds the head itself, a list entry (64 bytes with alignment,
/// in 0.9.75 and 1.0.1) for each header, argument and cookie, and a copy of the Cookie header.
static inline int cmhd_head_room_short(struct MHD_Connection *connection, size_t memory, size_t reserve) {
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    size_t used = info ? info->header_size : 0;
    int entries = MHD_get_connection_values(connection,
        (enum MHD_ValueKind) (MHD_HEADER_KIND | MHD_GET_ARGUMENT_KIND | MHD_COOKIE_KIND), NULL, NULL);
    if (entries > 0) used += (size_t) entries * 64;
    size_t cookie = 0;
    if (MHD_YES == MHD_lookup_connection_value_n(connection, MHD_HEADER_KIND, "Cookie", 6, NULL, &cookie))
        used += cookie + 1;
    return used + reserve > memory;
}

#include <fcntl.h>
#include <errno.h>
#ifndef F_SETLEASE
#define F_SETLEASE 1024  /* Linux's F_LINUX_SPECIFIC_BASE + 0, hidden without _GNU_SOURCE */
#endif
/// Whether another descriptor has this file open: a write lease is granted only when none
/// has, and is given back at once. -1 where leases are not supported.
static inline int cmhd_open_elsewhere(int fd) {
    if (fcntl(fd, F_SETLEASE, F_WRLCK) == 0) {
        (void) fcntl(fd, F_SETLEASE, F_UNLCK);
        return 0;
    }
    return errno == EAGAIN ? 1 : -1;
}
