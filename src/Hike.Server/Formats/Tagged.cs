using System.Text;
using Hike.Edn;

namespace Hike.Server.Formats;

/// <summary>
/// A value the wire formats carry under a tag the server gives meaning to (a connection, a database
/// value, a transaction report, an entity), by its EDN name (<c>datahike/DB</c>): in EDN
/// <c>#datahike/DB {…}</c>, in tagged JSON <c>["!datahike/DB", {…}]</c>.
/// </summary>
internal sealed record Tagged(string Tag, object? Value) : IEdnPrintable
{
    /// <summary>The tags the server reads and writes.</summary>
    public static readonly IReadOnlySet<string> ServerTags = new HashSet<string>(StringComparer.Ordinal)
    {
        WireValues.ConnectionTag, WireValues.DbTag, WireValues.HistoryTag, WireValues.AsOfTag, WireValues.SinceTag,
        WireValues.TxReportTag, WireValues.EntityTag,
    };

    public void PrintEdn(StringBuilder sb)
    {
        sb.Append('#').Append(Tag).Append(' ');
        EdnPrinter.Print(sb, Value);
    }
}
