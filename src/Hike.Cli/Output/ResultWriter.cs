using Hike.Edn;

namespace Hike.Cli.Output;

/// <summary>Prints a command's result on standard output in the chosen format.</summary>
internal sealed class ResultWriter(TextWriter output, OutputFormat format)
{
    public OutputFormat Format { get; } = format;

    /// <summary>Parses <c>--format</c>.</summary>
    public static OutputFormat ParseFormat(string? text) => text?.ToLowerInvariant() switch
    {
        null or "edn" => OutputFormat.Edn,
        "json" => OutputFormat.Json,
        "pprint" => OutputFormat.Pprint,
        "table" => OutputFormat.Table,
        "cbor" => OutputFormat.Cbor,
        _ => throw CliErrors.Format($"Unknown output format {text}; use edn, json, pprint, table or cbor"),
    };

    /// <summary>Prints <paramref name="value"/>; <paramref name="columns"/> name a relation's columns for <c>table</c>.</summary>
    public void Write(object? value, IReadOnlyList<string>? columns = null)
    {
        var printable = CliValues.Printable(value);
        if (Format == OutputFormat.Cbor)
        {
            WriteBytes(CborValueWriter.Write(printable));
            return;
        }
        output.WriteLine(Format switch
        {
            OutputFormat.Json => JsonOutput.Write(printable),
            OutputFormat.Pprint => PrettyPrinter.Print(printable),
            OutputFormat.Table => TableOutput.Write(printable, columns),
            _ => EdnPrinter.Print(printable),
        });
    }

    /// <summary>
    /// One CBOR data item on standard output, as dthk's <c>-f cbor</c> writes it (no line break): the text
    /// written so far is flushed, then the bytes go to the stream under the writer.
    /// </summary>
    private void WriteBytes(byte[] bytes)
    {
        if (output is not StreamWriter { BaseStream: var stream }) throw CliErrors.Format("--format cbor writes bytes, and this output takes text only");
        output.Flush();
        stream.Write(bytes);
        stream.Flush();
    }

    /// <summary>Prints text as it is (an explanation, a message).</summary>
    public void WriteText(string text) => output.WriteLine(text);
}
