#if canImport(Glibc)
import Glibc
#endif
import TimelineServer

// Thin on purpose: parsing, serving and exit statuses live in TimelineServer.ServerProgram.
exit(ServerProgram.main(Array(CommandLine.arguments.dropFirst())))
