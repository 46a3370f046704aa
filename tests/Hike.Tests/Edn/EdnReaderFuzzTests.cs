using Hike.Edn;
using Hike.Testing;
using Hike.Tests.Fuzz;
using Xunit.Abstractions;

namespace Hike.Tests.Edn;

public sealed class EdnReaderFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Mutated_edn_either_reads_or_fails_with_a_syntax_error()
    {
        int seed = TestSeed.Next(output.WriteLine);
        var random = new Random(seed);
        for (int i = 0; i < 3_000; i++)
        {
            string text = TextMutations.Mutate(random, EdnPrinter.Print(RandomValues.Value(random, 3)));
            AssertReadsOrFailsCleanly(text, i);
            int size = random.Next(1, 16);
            try
            {
                foreach (var form in EdnReader.ReadForms(new StringReader(text), size)) GC.KeepAlive(form);
            }
            catch (EdnSyntaxException e)
            {
                Assert.Equal("edn/syntax", e.Code);
            }
            catch (Exception e)
            {
                Assert.Fail($"case #{i}, buffer {size}: {Escape(text)} threw {e}");
            }
        }
    }

    [Fact]
    public void Every_prefix_of_valid_edn_either_reads_or_fails_with_a_syntax_error()
    {
        const string text = "{:a [1 2.5 3N 4M 0x1F 2r10 ##NaN \\a \\newline \\u0041 \"s\\u00e9\\n\"] #{:k sym ns/sym} #:p{:x 1} " +
            "#inst \"2020-01-01T10:00:00.5+01:00\" #uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\" #hike/bytes \"AAE=\" " +
            "#hike/floats [1.5] :l (#_ x ; c\n nil true)}";
        for (int n = 0; n <= text.Length; n++)
        {
            AssertReadsOrFailsCleanly(text[..n], n);
        }
        Assert.IsType<EdnMap>(EdnReader.Read(text));
    }

    private static void AssertReadsOrFailsCleanly(string text, int caseNumber)
    {
        try
        {
            EdnReader.ReadAll(text);
        }
        catch (EdnSyntaxException e)
        {
            Assert.Equal("edn/syntax", e.Code);
            Assert.True(e.Line >= 1 && e.Column >= 1);
            Assert.Matches(@"(\(line \d+, column \d+\)|at line \d+, column \d+)$", e.Message);
        }
        catch (Exception e)
        {
            Assert.Fail($"case #{caseNumber}: {Escape(text)} threw {e}");
        }
    }

    private static string Escape(string text) => EdnPrinter.Print(text);
}
