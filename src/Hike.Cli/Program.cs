using System.Text;
using Hike.Cli;

Console.OutputEncoding = new UTF8Encoding(false);
return await CliApp.RunAsync(args, Console.In, Console.Out, Console.Error);
