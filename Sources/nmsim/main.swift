import Foundation
import NMSimCLI

exit(CLI.run(Array(CommandLine.arguments.dropFirst())))
