using System.Text;
using Hike.Cli;
using Hike.Cli.Inputs;

Console.OutputEncoding = new UTF8Encoding(false);
// Standard input is read strictly as UTF-8, as files are: a bad byte is an error, not a U+FFFD stored.
using var input = StrictUtf8.Reader(Console.OpenStandardInput(), "standard input");
// Standard output as a writer over its stream, so that --format cbor can put bytes on the same stream.
await using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
return await CliApp.RunAsync(args, input, output, Console.Error);

/// <summary>The <c>hike</c> program: internal, as everything in a program that is no library.</summary>
internal sealed partial class Program;
