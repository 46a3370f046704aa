using Hike.Db;
using Hike.Query.Syntax;

namespace Hike.Query.Execution;

/// <summary>
/// The answers of data patterns that depend on nothing but their literals, by pattern and database
/// view, kept for one run of a query so a pattern in a rule body is read once, not once per round.
/// Single-threaded.
/// </summary>
internal sealed class ScanCache
{
    private readonly Dictionary<(PatternClause, DbView), Relation> _scans = [];

    public bool TryGet(PatternClause pattern, DbView view, out Relation relation) => _scans.TryGetValue((pattern, view), out relation!);

    public void Add(PatternClause pattern, DbView view, Relation relation) => _scans[(pattern, view)] = relation;
}
