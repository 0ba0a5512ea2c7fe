package io.tunelab.storage;

/** The requested key does not exist in the bucket. */
public class ObjectNotFoundException extends StoreException {
  public ObjectNotFoundException(String bucket, String key) {
    super("no object " + key + " in bucket " + bucket, null, false);
  }
}
