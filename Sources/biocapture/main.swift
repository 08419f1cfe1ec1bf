// biocapture: the technician's command-line tool. Thin: parses arguments, calls the libraries,
// renders human text or JSON. Subcommands are listed in `BioCaptureCommand.configuration`.
import Foundation
import Logging

CLILogging.bootstrap()
await BioCaptureCommand.runFromCommandLine()
