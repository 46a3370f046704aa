using System.Text;
using Hike.Cli;
using Hike.Cli.Inputs;

Console.OutputEncoding = new UTF8Encoding(false);
// Standard input is read strictly as UTF-8, as files are: a bad byte is an error, not a U+FFFD stored.
using var input = StrictUtf8.Reader(Console.OpenStandardInput(), "standard input");
return await CliApp.RunAsync(args, input, Console.Out, Console.Error);

/// <summary>The <c>hike</c> program: internal, as everything in a program that is no library.</summary>
internal sealed partial class Program;
