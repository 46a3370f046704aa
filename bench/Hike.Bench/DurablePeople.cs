using System.Globalization;
using Hike.Edn;

namespace Hike.Bench;

/// <summary>
/// The people of <c>people-20k.edn</c>, repeated as often as a benchmark needs. Person <c>i</c> is
/// copy <c>i / 20000</c> of a person of the file, with tempid and <c>:name</c> made unique by the
/// person's number <c>copy * 20000 + tempid</c> (<c>:name "Dmitry 8360"</c>), so <c>:name</c> answers
/// a point query; every other value is the file's.
/// </summary>
internal sealed class DurablePeople
{
    private static readonly Keyword DbId = Workload.K("db/id");
    private static readonly Keyword NameKey = Workload.K("name");

    private readonly EdnVector _source;
    private readonly List<DurablePerson> _people = [];

    public DurablePeople(EdnVector source)
    {
        _source = source;
    }

    /// <summary>Person <paramref name="i"/>, made on first use.</summary>
    public DurablePerson this[int i]
    {
        get
        {
            while (_people.Count <= i) _people.Add(Make(_people.Count));
            return _people[i];
        }
    }

    /// <summary>People <c>[start, start + count)</c>.</summary>
    public DurablePerson[] Slice(int start, int count)
    {
        var slice = new DurablePerson[count];
        for (int i = 0; i < count; i++) slice[i] = this[start + i];
        return slice;
    }

    /// <summary>The fewest people, from the first, holding at least <paramref name="datoms"/> entity datoms.</summary>
    public int CountFor(long datoms)
    {
        long total = 0;
        int n = 0;
        while (total < datoms) total += this[n++].Facts.Length;
        return n;
    }

    /// <summary>The entity datoms of people <c>[0, count)</c>.</summary>
    public long DatomsOf(int count)
    {
        long total = 0;
        for (int i = 0; i < count; i++) total += this[i].Facts.Length;
        return total;
    }

    private DurablePerson Make(int i)
    {
        var p = (EdnMap)_source[i % _source.Count]!;
        long number = (long)(i / _source.Count) * _source.Count + long.Parse((string)p[DbId]!, CultureInfo.InvariantCulture);
        string id = number.ToString(CultureInfo.InvariantCulture);
        string name = $"{(string)p[NameKey]!} {id}";
        var map = p.With(DbId, id).With(NameKey, name);
        var facts = new List<(Keyword, object)>();
        foreach (var (key, value) in map.Entries)
        {
            var a = (Keyword)key!;
            if (a == DbId) continue;
            if (value is EdnVector many)
            {
                foreach (var x in many.Distinct(ValueEquality.Instance)) facts.Add((a, x!));
            }
            else
            {
                facts.Add((a, value!));
            }
        }
        return new DurablePerson(map, name, [.. facts]);
    }
}
