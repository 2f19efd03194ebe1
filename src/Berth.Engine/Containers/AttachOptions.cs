using Berth.Engine.Streams;

namespace Berth.Engine.Containers;

/// <summary>What an attach request asked for: which streams, live output and/or the log so far, and the detach keys.</summary>
public sealed record AttachOptions(bool Stdin, bool Stdout, bool Stderr, bool Stream, bool Logs, DetachKeys DetachKeys);
