using System;
using System.Threading;
using System.Threading.Tasks;

namespace Client.Animations;

public abstract class AnimationBase
{
    public async Task Begin(CancellationToken ct)
    {
        try
        {
            await RunAsync(ct);
        }
        // bkgen: expect silent-catch-strict
        catch (TaskCanceledException)
        {
        }
        // bkgen: expect silent-catch-strict
        catch (InvalidOperationException ex)
        {
            // the element was detached: nothing to animate
        }
        // broad and empty: silent-catch reports it, not this rule
        // bkgen: ok silent-catch-strict
        catch (Exception)
        {
        }
    }

    public async Task Poll(CancellationToken ct)
    {
        try
        {
            await Task.Delay(1000, ct);
        }
        // bkgen: ok silent-catch-strict
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    protected abstract Task RunAsync(CancellationToken ct);
}
