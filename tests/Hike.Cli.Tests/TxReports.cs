using System.Text.RegularExpressions;

namespace Hike.Cli.Tests;

/// <summary>What a printed transaction report says, read back from the text <c>transact</c> prints.</summary>
internal static partial class TxReports
{
    /// <summary>
    /// <c>{:tx N, :tempids {...}, :datoms n}</c> from a report printed as Datahike prints it (the transaction id
    /// is the db-after's max-tx); fails when the text is not a report.
    /// </summary>
    public static string Summary(string printed)
    {
        var match = Shape().Match(printed);
        Assert.True(match.Success, $"not a transaction report: {printed}");
        int datoms = Regex.Count(match.Groups["txdata"].Value, "#datahike/Datom ");
        return $"{{:tx {match.Groups["tx"].Value}, :tempids {match.Groups["tempids"].Value}, :datoms {datoms}}}";
    }

    [GeneratedRegex("""^\{:db-before #datahike/DB \{(:commit-id #uuid "[0-9a-f-]{36}", )?:max-tx \d+, :max-eid \d+\}, :db-after #datahike/DB \{(:commit-id #uuid "[0-9a-f-]{36}", )?:max-tx (?<tx>\d+), :max-eid \d+\}, :tx-data \[(?<txdata>.*)\], :tempids (?<tempids>\{[^}]*\}), :tx-meta .*\}$""")]
    private static partial Regex Shape();
}
