using System.Collections.Concurrent;

namespace TaobaoAlliance.Application.Cluster;

/// <summary>
/// Group calls to a grain, as group commit groups writes: a call to a key goes at once while fewer than
/// <c>maxOutstanding</c> calls to that key are out; the calls that arrive meanwhile wait and go together in the next
/// one. Under load a call to another silo then carries many items for the price of one message; at rest it carries one,
/// with no added wait.
/// </summary>
public sealed class CallCoalescer<TKey, TItem, TResult>(
    Func<TKey, TItem[], Task<TResult[]>> send, int maxOutstanding) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Line> lines = new();

    public Task<TResult> CallAsync(TKey key, TItem item)
    {
        var line = lines.GetOrAdd(key, _ => new Line());
        var answer = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (line)
        {
            line.Waiting.Add((item, answer));
            start = line.Outstanding < maxOutstanding;
            if (start) line.Outstanding++;
        }
        if (start) _ = SendWhileWaitingAsync(key, line);
        return answer.Task;
    }

    private async Task SendWhileWaitingAsync(TKey key, Line line)
    {
        while (true)
        {
            List<(TItem Item, TaskCompletionSource<TResult> Answer)> batch;
            lock (line)
            {
                if (line.Waiting.Count == 0)
                {
                    line.Outstanding--;
                    return;
                }
                batch = line.Waiting;
                line.Waiting = [];
            }
            try
            {
                var results = await send(key, [.. batch.Select(b => b.Item)]);
                for (var i = 0; i < batch.Count; i++) batch[i].Answer.TrySetResult(results[i]);
            }
#pragma warning disable CA1031 // Whatever failed the call fails each of its items: every caller decides what that means.
            catch (Exception e)
#pragma warning restore CA1031
            {
                foreach (var (_, answer) in batch) answer.TrySetException(e);
            }
        }
    }

    private sealed class Line
    {
        public List<(TItem Item, TaskCompletionSource<TResult> Answer)> Waiting { get; set; } = [];
        public int Outstanding { get; set; }
    }
}
