using Hike.Edn;
using static Hike.Tests.Edn.EdnAssert;

namespace Hike.Tests.Edn;

public sealed class EdnReaderTopLevelTests
{
    [Fact]
    public void Read_takes_one_form_surrounded_by_whitespace_comments_and_discards()
    {
        Assert.Equal(1L, EdnReader.Read("  1  "));
        Assert.Equal(1L, EdnReader.Read(",\n; comment\n1 ; trailing\n,"));
        Assert.Equal(1L, EdnReader.Read("#_0 1 #_2"));
        Assert.Null(EdnReader.Read("nil"));
    }

    [Theory]
    [InlineData("", 1, 1)]
    [InlineData("   ", 1, 4)]
    [InlineData("; only a comment", 1, 17)]
    [InlineData("#_ 1", 1, 5)]
    [InlineData("\n\n", 3, 1)]
    public void Read_of_no_form_is_an_error(string text, int line, int column)
    {
        SyntaxError(text, "Expected an EDN form but the input has none", line, column);
    }

    [Theory]
    [InlineData("1 2", 1, 3)]
    [InlineData("[1] [2]", 1, 5)]
    [InlineData(":a\n:b", 2, 1)]
    [InlineData("{}{}", 1, 3)]
    public void Read_of_a_second_form_is_an_error(string text, int line, int column)
    {
        SyntaxError(text, "Expected one EDN form but found another", line, column);
    }

    [Fact]
    public void Read_of_a_form_followed_by_a_stray_delimiter_names_the_delimiter()
    {
        SyntaxError("[1])", "Unexpected ')'", 1, 4);
    }

    [Fact]
    public void ReadAll_reads_zero_or_more_forms()
    {
        Assert.Empty(EdnReader.ReadAll(""));
        Assert.Empty(EdnReader.ReadAll(" ; nothing\n #_ x "));
        var forms = EdnReader.ReadAll("1 :a \"s\" [2] {:b 3} nil #_ skipped x");
        Assert.Equal(7, forms.Count);
        Assert.Equal(1L, forms[0]);
        Assert.Equal(Keyword.Intern("a"), forms[1]);
        Assert.Equal("s", forms[2]);
        Assert.Equal(EdnVector.Create(2L), forms[3]);
        Assert.Equal(EdnMap.Of(Keyword.Intern("b"), 3L), forms[4]);
        Assert.Null(forms[5]);
        Assert.Same(Symbol.Intern("x"), forms[6]);
    }

    [Fact]
    public void Forms_need_no_whitespace_between_delimited_forms()
    {
        var forms = EdnReader.ReadAll("[1][2](3)\"a\"\"b\":c{}#{}");
        Assert.Equal(8, forms.Count);
        Assert.Equal("a", forms[3]);
        Assert.Equal("b", forms[4]);
        Assert.Equal(Keyword.Intern("c"), forms[5]);
        Assert.Same(EdnMap.Empty, forms[6]);
        Assert.Same(EdnSet.Empty, forms[7]);
    }

    [Fact]
    public void Null_text_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => EdnReader.Read(null!));
        Assert.Throws<ArgumentNullException>(() => EdnReader.ReadAll(null!));
        Assert.Throws<ArgumentNullException>(() => EdnReader.ReadForms(null!));
    }

    [Fact]
    public void Positions_count_lines_and_columns_from_one()
    {
        SyntaxError("[1 2\n 3 4\n    5 6 ) ]", "Unexpected ')', expected ']'", 3, 9);
        SyntaxError("{:a \"multi\nline\nstring\" :b 1/2}", "Ratios", 3, 12);
        SyntaxError("[1 ; comment ]\n\n  ]]", "Unexpected ']'", 3, 4);
        SyntaxError("\r\n\r\n  )", "Unexpected ')'", 3, 3);
    }

    [Fact]
    public void Errors_inside_strings_are_placed_at_the_escape()
    {
        SyntaxError("[\"ok\"\n \"a\nb\\x\"]", "Unsupported escape character '\\x'", 3, 2);
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        var e = SyntaxError(new string('[', 100_000), "nested too deeply", 1, EdnReader.MaxDepth + 1);
        Assert.Contains("1000", e.Message, StringComparison.Ordinal);
        SyntaxError(string.Concat(Enumerable.Repeat("{:a ", 5000)), "nested too deeply", 1, 4 * EdnReader.MaxDepth + 1);
        SyntaxError(string.Concat(Enumerable.Repeat("#{(", 5000)), "nested too deeply", 1, 3 * (EdnReader.MaxDepth / 2) + 1);
    }

    [Fact]
    public void Deep_chains_of_discards_and_tags_are_an_error_not_a_stack_overflow()
    {
        SyntaxError(string.Concat(Enumerable.Repeat("#_ ", 100_000)) + "1", "nested too deeply", 1, 3 * EdnReader.MaxDepth + 1);
        SyntaxError(string.Concat(Enumerable.Repeat("#inst ", 100_000)), "nested too deeply", 1, 6 * EdnReader.MaxDepth + 1);
        SyntaxError(string.Concat(Enumerable.Repeat("#hike/floats ", 10)), "expects a vector of numbers", 1, 14);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_read()
    {
        int depth = EdnReader.MaxDepth;
        var value = EdnReader.Read(new string('[', depth) + new string(']', depth));
        for (int i = 1; i < depth; i++) value = Assert.Single(Assert.IsType<EdnVector>(value));
        Assert.Same(EdnVector.Empty, value);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_read_on_a_thread_with_a_smaller_stack_than_the_default()
    {
        var (result, error) = ReadOnThread(new string('(', EdnReader.MaxDepth) + new string(')', EdnReader.MaxDepth), 1024 * 1024);
        Assert.Null(error);
        Assert.IsType<EdnList>(result);
    }

    [Fact]
    public void Nesting_beyond_what_a_tiny_stack_holds_is_an_error_not_a_crash()
    {
        var (result, error) = ReadOnThread(new string('[', EdnReader.MaxDepth) + new string(']', EdnReader.MaxDepth), 192 * 1024);
        Assert.Null(result);
        var e = Assert.IsType<EdnSyntaxException>(error);
        Assert.Equal("edn/syntax", e.Code);
        Assert.Contains("nested too deeply for the stack of this thread", e.Message, StringComparison.Ordinal);
    }

    private static (object? Result, Exception? Error) ReadOnThread(string text, int stackSize)
    {
        object? result = null;
        Exception? error = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = EdnReader.Read(text);
                }
                catch (Exception e)
                {
                    error = e;
                }
            },
            stackSize);
        thread.Start();
        thread.Join();
        return (result, error);
    }

    [Fact]
    public void Reading_is_thread_safe()
    {
        const string text = "{:db/id 1, :name \"x\", :tags #{:a :b}, :scores [1 2.5 3N], :at #inst \"2020-01-01\"}";
        var expected = EdnReader.Read(text);
        var results = new object?[8];
        Parallel.For(0, results.Length, i =>
        {
            for (int k = 0; k < 200; k++) results[i] = EdnReader.Read(text);
        });
        foreach (var r in results) ValueEqual(expected, r);
    }
}
