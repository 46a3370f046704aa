using System.Text;

namespace Hike.Edn;

/// <summary>
/// A value that prints itself as EDN (an entity prints as <c>{:name "Ivan", :db/id 1}</c>, not as
/// the map its interface would suggest). <see cref="EdnPrinter"/> asks it before anything else.
/// </summary>
internal interface IEdnPrintable
{
    /// <summary>Appends the value's EDN text to <paramref name="sb"/>.</summary>
    void PrintEdn(StringBuilder sb);
}
