using Hike.Edn;
using Hike.Query.Functions;
using Hike.Query.Syntax;

namespace Hike.Query.Execution;

internal sealed partial class ClauseRunner
{
    private string RunFunction(FunctionClause f, Frame frame, QuerySource? defaultSource)
    {
        var boundOutputs = f.Binding?.Variables.Where(frame.IsBound).ToList() ?? [];
        var input = frame.Collapse([.. f.Inputs, .. boundOutputs]);
        Func<object?[], object?>? fixedFunction = null;
        bool builtIn = false;
        int fnColumn = -1;
        if (f.Function.IsVariable) fnColumn = input.IndexOf(f.Function.Symbol!);
        else
        {
            var name = (Symbol)f.Function.Value!;
            if (!BuiltIns.TryGet(name, out fixedFunction!))
            {
                throw Errors.QueryWhere($"Unknown function '{name}' in {Errors.Show(f.Form)}");
            }
            builtIn = BuiltIns.IsBuiltIn(name);
        }
        var args = new object?[f.Args.Length];
        var columns = new int[f.Args.Length];
        for (int i = 0; i < f.Args.Length; i++)
        {
            var t = f.Args[i];
            columns[i] = -1;
            switch (t.Kind)
            {
                case TermKind.Variable:
                    columns[i] = input.IndexOf(t.Symbol!);
                    break;
                case TermKind.Source:
                    var source = _ctx.Source(t.Symbol!, defaultSource, f.Form);
                    args[i] = builtIn ? source : source.Value;
                    break;
                case TermKind.Constant:
                    args[i] = t.Value;
                    break;
            }
        }
        var rows = new RowList();
        Dictionary<Symbol, int>? outColumns = null;
        Symbol[] outVars = [];
        if (f.Binding is { } binding)
        {
            outVars = [.. input.Vars, .. binding.Variables.Where(v => !input.Has(v))];
            outColumns = new Dictionary<Symbol, int>();
            for (int i = 0; i < outVars.Length; i++) outColumns[outVars[i]] = i;
        }
        var guard = QueryGuard.Current;
        foreach (var row in input.Rows)
        {
            // A call may take long (an application function, a nested q): look at the token before every one.
            guard.Check();
            var call = builtIn ? args : (object?[])args.Clone();
            for (int i = 0; i < columns.Length; i++)
            {
                if (columns[i] >= 0) call[i] = row[columns[i]];
            }
            var function = fixedFunction ?? AsFunction(row[fnColumn], f);
            var result = Invoke(function, call, f);
            if (f.Binding is null)
            {
                if (BuiltIns.Truthy(result)) rows.Add(row);
                continue;
            }
            if (result is null) continue;
            var extended = new object?[outVars.Length];
            row.CopyTo(extended, 0);
            BindingExpander.Expand(f.Binding, result, extended, outColumns!, input.Vars.Length, rows);
        }
        bool distinct = input.Distinct && (f.Binding is null || f.Binding.Kind != BindingKind.Collection);
        frame.Replace(input, new Relation(f.Binding is null ? input.Vars : outVars, rows, distinct));
        return f.IsPredicate ? "filter" : "call per row";
    }

    private static Func<object?[], object?> AsFunction(object? value, FunctionClause f) => value switch
    {
        Func<object?[], object?> fn => fn,
        Delegate d => FunctionAdapter.Adapt(d),
        Symbol s when BuiltIns.TryGet(s, out var named) => named,
        _ => throw Errors.QueryWhere($"{f.Function} is bound to {Errors.Show(value)}, which is not a function, in {Errors.Show(f.Form)}"),
    };

    private static object? Invoke(Func<object?[], object?> function, object?[] args, FunctionClause f)
    {
        try
        {
            return function(args);
        }
        catch (HikeException)
        {
            throw;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            throw Errors.QueryWhere($"Function {f.Name} failed in {Errors.Show(f.Form)}: {e.Message}", e);
        }
    }
}
