import MetaSwiftCLI

#if canImport(Glibc)
import Glibc
#endif

@main
enum MetaSwiftMain {
    static func main() {
        exit(MetaSwiftCommand.execute(Array(CommandLine.arguments.dropFirst())))
    }
}
