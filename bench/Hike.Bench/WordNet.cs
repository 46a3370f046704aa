using System.Text.Json;

namespace Hike.Bench;

/// <summary>
/// The WordNet 3.0 corpus in <c>../shared/bench/wordnet</c> (see its README.md): the glosses of its
/// 117,659 synsets and 1,068 full-text queries in Lucene's classic syntax.
/// </summary>
internal static class WordNet
{
    /// <summary>The query kinds of <c>queries.jsonl</c>, in the order results are printed.</summary>
    public static readonly string[] Kinds = ["term", "and", "phrase", "prefix", "or"];

    /// <summary>A synset's id (<c>n00001740</c>) and its gloss, the text indexed.</summary>
    public sealed record Gloss(string Id, string Text);

    /// <summary>A query: its kind (one of <see cref="Kinds"/>) and its text in Lucene's classic syntax.</summary>
    public sealed record Query(string Kind, string Text);

    /// <summary>The directory of the corpus under the benchmark data directory.</summary>
    public static string Dir(string dataDir)
    {
        string dir = Path.Combine(dataDir, "wordnet");
        return File.Exists(Path.Combine(dir, "glosses.jsonl")) ? dir : throw new FileNotFoundException($"no WordNet corpus in {dir}");
    }

    /// <summary>Every gloss of <c>glosses.jsonl</c>, in the file's order.</summary>
    public static List<Gloss> ReadGlosses(string dir)
    {
        var glosses = new List<Gloss>(120_000);
        foreach (string line in File.ReadLines(Path.Combine(dir, "glosses.jsonl")))
        {
            if (line.Length == 0) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            glosses.Add(new Gloss(root.GetProperty("id").GetString()!, root.GetProperty("gloss").GetString()!));
        }
        return glosses;
    }

    /// <summary>Every query of <c>queries.jsonl</c>, in the file's order.</summary>
    public static List<Query> ReadQueries(string dir)
    {
        var queries = new List<Query>(1_100);
        foreach (string line in File.ReadLines(Path.Combine(dir, "queries.jsonl")))
        {
            if (line.Length == 0) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            string kind = root.GetProperty("kind").GetString()!;
            if (!Kinds.Contains(kind)) throw new InvalidDataException($"unknown query kind {kind} in queries.jsonl");
            queries.Add(new Query(kind, root.GetProperty("q").GetString()!));
        }
        return queries;
    }
}
