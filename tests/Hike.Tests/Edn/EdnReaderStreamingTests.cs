using System.Text;
using Hike.Edn;
using Hike.Testing;
using Xunit.Abstractions;
using static Hike.Tests.Edn.EdnAssert;

namespace Hike.Tests.Edn;

public sealed class EdnReaderStreamingTests(ITestOutputHelper output)
{
    // Exercises every construct, including ones that straddle buffer boundaries at small sizes.
    private const string Sample =
        "; header comment\n" +
        "{:db/id 101, :name \"Judea\", :tags #{:a :b}, :nums [1 -2 3N 4.5 6.0E-5 7M 0x1F 2r101 ##Inf]}\n" +
        "(\"esc \\\" \\\\ \\n \\t \\u00e9 end\" \\a \\newline \\u0041 \\o101 nil true false)\n" +
        "#_ [discarded form] #inst \"2020-01-01T10:00:00.123+01:00\" #uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\"\n" +
        "#hike/bytes \"AAEC/v8=\" #hike/floats [1.5 ##NaN] #hike/doubles [2.5 -0.0]\n" +
        "#:person{:name \"Ann\" :_/plain 1} clojure.string/join ?e ... a-very-long-symbol-name-that-crosses-buffers\n" +
        "\"a string that is considerably longer than the small buffers used in these tests\"\n" +
        ",,, ; trailing comment";

    [Fact]
    public void ReadForms_yields_the_same_forms_as_ReadAll()
    {
        var expected = EdnReader.ReadAll(Sample);
        Assert.Equal(13, expected.Count);
        var streamed = EdnReader.ReadForms(new StringReader(Sample)).ToList();
        AssertSameForms(expected, streamed);
    }

    [Fact]
    public void ReadForms_gives_the_same_forms_for_every_small_buffer_size()
    {
        var expected = EdnReader.ReadAll(Sample);
        for (int size = 1; size <= 40; size++)
        {
            var streamed = EdnReader.ReadForms(new StringReader(Sample), size).ToList();
            AssertSameForms(expected, streamed);
        }
    }

    [Fact]
    public void ReadForms_over_a_reader_that_returns_one_character_at_a_time_gives_the_same_forms()
    {
        var expected = EdnReader.ReadAll(Sample);
        var streamed = EdnReader.ReadForms(new TricklingReader(Sample)).ToList();
        AssertSameForms(expected, streamed);
    }

    [Fact]
    public void ReadForms_reports_positions_across_buffer_boundaries()
    {
        const string text = "[1 2]\n{:a \"x\ny\"}\n  [3 #foo 4]";
        for (int size = 1; size <= 12; size++)
        {
            var forms = new List<object?>();
            var e = Assert.Throws<EdnSyntaxException>(() =>
            {
                foreach (var f in EdnReader.ReadForms(new StringReader(text), size)) forms.Add(f);
            });
            Assert.Equal("edn/syntax", e.Code);
            Assert.Equal((4, 6), (e.Line, e.Column));
            Assert.Contains("Unknown tag #foo", e.Message, StringComparison.Ordinal);
            Assert.Equal(2, forms.Count);
        }
    }

    [Fact]
    public void ReadForms_is_lazy_and_yields_forms_before_a_later_error()
    {
        var reader = new CountingReader("1 2 3 [unterminated");
        using var e = EdnReader.ReadForms(reader, 1).GetEnumerator();
        Assert.Equal(0, reader.CharsRead);
        Assert.True(e.MoveNext());
        Assert.Equal(1L, e.Current);
        Assert.True(reader.CharsRead <= 3, $"read {reader.CharsRead} characters for the first form");
        Assert.True(e.MoveNext());
        Assert.Equal(2L, e.Current);
        Assert.True(e.MoveNext());
        Assert.Equal(3L, e.Current);
        var error = Assert.Throws<EdnSyntaxException>(() => e.MoveNext());
        Assert.Equal("EOF while reading vector started at line 1, column 7", error.Message);
    }

    [Fact]
    public void ReadForms_of_an_empty_input_yields_nothing()
    {
        Assert.Empty(EdnReader.ReadForms(new StringReader("")));
        Assert.Empty(EdnReader.ReadForms(new StringReader(" ; only a comment\n #_ 1")));
    }

    [Fact]
    public void ReadForms_reads_many_forms_without_holding_the_input()
    {
        // 200,000 small maps generated on the fly; the reader never sees the whole text at once.
        const int count = 200_000;
        var source = new GeneratingReader(count);
        long sum = 0;
        int n = 0;
        var id = Keyword.Intern("db/id");
        foreach (var form in EdnReader.ReadForms(source))
        {
            sum += (long)Assert.IsType<EdnMap>(form)[id]!;
            n++;
        }
        Assert.Equal(count, n);
        Assert.Equal((long)count * (count - 1) / 2, sum);
    }

    [Fact]
    public void ReadForms_round_trips_random_values_at_random_buffer_sizes()
    {
        int seed = TestSeed.Next(output.WriteLine);
        var random = new Random(seed);
        var values = new List<object?>();
        var text = new StringBuilder();
        for (int i = 0; i < 50; i++)
        {
            var v = RandomValues.Value(random, 3);
            values.Add(v);
            text.Append(EdnPrinter.Print(v)).Append(random.Next(3) switch { 0 => " ", 1 => "\n;c\n", _ => "," });
        }
        int size = random.Next(1, 64);
        output.WriteLine($"buffer size {size}");
        var streamed = EdnReader.ReadForms(new StringReader(text.ToString()), size).ToList();
        AssertSameForms(values, streamed);
    }

    private static void AssertSameForms(IReadOnlyList<object?> expected, IReadOnlyList<object?> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) ValueEqual(expected[i], actual[i]);
    }

    /// <summary>Hands out at most one character per call, as a slow network stream may.</summary>
    private sealed class TricklingReader(string text) : TextReader
    {
        private int _pos;

        public override int Read(char[] buffer, int index, int count)
        {
            if (_pos >= text.Length || count == 0) return 0;
            buffer[index] = text[_pos++];
            return 1;
        }

        public override int Peek() => _pos < text.Length ? text[_pos] : -1;

        public override int Read() => _pos < text.Length ? text[_pos++] : -1;
    }

    /// <summary>Counts the characters the parser pulled.</summary>
    private sealed class CountingReader(string text) : TextReader
    {
        private readonly StringReader _inner = new(text);

        public int CharsRead { get; private set; }

        public override int Read(char[] buffer, int index, int count)
        {
            int n = _inner.Read(buffer, index, count);
            CharsRead += n;
            return n;
        }
    }

    /// <summary>Produces <c>{:db/id i, :name "person i"}</c> maps on demand.</summary>
    private sealed class GeneratingReader(int total) : TextReader
    {
        private int _next;
        private string _pending = string.Empty;
        private int _pendingPos;

        public override int Read(char[] buffer, int index, int count)
        {
            if (_pendingPos == _pending.Length)
            {
                if (_next == total) return 0;
                _pending = $"{{:db/id {_next}, :name \"person {_next}\"}}\n";
                _next++;
                _pendingPos = 0;
            }
            int n = Math.Min(count, _pending.Length - _pendingPos);
            _pending.CopyTo(_pendingPos, buffer, index, n);
            _pendingPos += n;
            return n;
        }
    }
}
