using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Berth.Daemon.Http;

/// <summary>
/// Lets a hijacked connection stay open after the client half-closes it. The docker CLI shuts
/// down its write side when it has no more input for an attach or exec, and keeps reading the
/// output; Kestrel would treat that FIN as the end of the connection and drop the output. Once a
/// handler has hijacked the connection, this wrapper hides the end of input from Kestrel and
/// reports it through <see cref="InputEnded"/> instead.
/// </summary>
public sealed class HalfClose
{
    public const string ItemKey = "berth.half-close";

    private readonly TaskCompletionSource inputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set by a handler just before it upgrades the connection.</summary>
    public bool Hijacked { get; set; }

    /// <summary>Completes when the client has half-closed a hijacked connection.</summary>
    public Task InputEnded => inputEnded.Task;

    internal void SignalInputEnded() => inputEnded.TrySetResult();

    /// <summary>Kestrel connection middleware installing the wrapper on every connection.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => async connection =>
    {
        var halfClose = new HalfClose();
        connection.Items[ItemKey] = halfClose;
        connection.Transport = new Pipe(UpgradeBodyLifter.Install(connection), halfClose);
        await using var wrapped = new Connection(connection, halfClose);
        await next(wrapped).ConfigureAwait(false);
    };

    /// <summary>
    /// The connection as Kestrel's HTTP layer sees it: the socket transport reports a FIN as
    /// "connection closed", which would abort the request; after a hijack that report is held back
    /// (a client that is really gone shows as a failed write, which aborts the connection anyway).
    /// </summary>
    private sealed class Connection : ConnectionContext
    {
        private readonly ConnectionContext inner;
        private readonly CancellationTokenSource closed = new();
        private readonly CancellationTokenRegistration registration;

        public Connection(ConnectionContext inner, HalfClose halfClose)
        {
            this.inner = inner;
            registration = inner.ConnectionClosed.Register(() =>
            {
                if (!halfClose.Hijacked) closed.Cancel();
            });
        }

        public override string ConnectionId { get => inner.ConnectionId; set => inner.ConnectionId = value; }
        public override Microsoft.AspNetCore.Http.Features.IFeatureCollection Features => inner.Features;
        public override IDictionary<object, object?> Items { get => inner.Items; set => inner.Items = value; }
        public override IDuplexPipe Transport { get => inner.Transport; set => inner.Transport = value; }
        public override CancellationToken ConnectionClosed { get => closed.Token; set => throw new NotSupportedException(); }
        public override System.Net.EndPoint? LocalEndPoint { get => inner.LocalEndPoint; set => inner.LocalEndPoint = value; }
        public override System.Net.EndPoint? RemoteEndPoint { get => inner.RemoteEndPoint; set => inner.RemoteEndPoint = value; }

        public override void Abort(ConnectionAbortedException abortReason)
        {
            inner.Abort(abortReason);
            closed.Cancel();
        }

        public override void Abort()
        {
            inner.Abort();
            closed.Cancel();
        }

        public override async ValueTask DisposeAsync()
        {
            await registration.DisposeAsync().ConfigureAwait(false);
            closed.Dispose();
        }
    }

    private sealed class Pipe(IDuplexPipe inner, HalfClose halfClose) : IDuplexPipe
    {
        public PipeReader Input { get; } = new Reader(inner.Input, halfClose);
        public PipeWriter Output => inner.Output;
    }

    private sealed class Reader(PipeReader inner, HalfClose halfClose) : PipeReader
    {
        private TaskCompletionSource<bool>? parked;

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken ct = default)
        {
            var result = await inner.ReadAsync(ct).ConfigureAwait(false);
            if (!result.IsCompleted || !halfClose.Hijacked) return result;
            if (!result.Buffer.IsEmpty) return new ReadResult(result.Buffer, result.IsCanceled, isCompleted: false);
            halfClose.SignalInputEnded();
            // Park until Kestrel gives up reading (the response is done, or the connection is aborted).
            var wait = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            parked = wait;
            await using (ct.Register(() => wait.TrySetResult(true)).ConfigureAwait(false))
                await wait.Task.ConfigureAwait(false);
            return new ReadResult(result.Buffer, isCanceled: true, isCompleted: false);
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result)) return false;
            if (result.IsCompleted && halfClose.Hijacked)
            {
                if (result.Buffer.IsEmpty)
                {
                    inner.AdvanceTo(result.Buffer.Start);
                    halfClose.SignalInputEnded();
                    return false;
                }
                result = new ReadResult(result.Buffer, result.IsCanceled, isCompleted: false);
            }
            return true;
        }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead()
        {
            parked?.TrySetResult(true);
            inner.CancelPendingRead();
        }

        public override void Complete(Exception? exception = null)
        {
            parked?.TrySetResult(true);
            inner.Complete(exception);
        }
    }
}
